package dev.pacific.deploy.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Image bundles made on the spot: as bytes to upload to the content library
 * ({@code POST /admin/v1/images}), or in a directory as hosts read them with
 * {@code pacific.host.spherelet.image-source} set to it ({@code HEX.tar.gz}, HEX the SHA-256 of the
 * file).
 */
public final class ImageDirectory {

  private static final int BLOCK = 512;

  private ImageDirectory() {}

  /** Writes a bundle of {@code files} (name to text) into {@code dir}; returns its {@code NAME@sha256:HEX}. */
  public static String publish(Path dir, String name, Map<String, String> files) throws IOException {
    byte[] archive = archive(files);
    String hex;
    try {
      hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
    Files.createDirectories(dir);
    Files.write(dir.resolve(hex + ".tar.gz"), archive);
    return name + "@sha256:" + hex;
  }

  /** A {@code .tar.gz} of {@code files} (name to text), each a regular file of mode 0644. */
  public static byte[] archive(Map<String, String> files) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      for (Map.Entry<String, String> f : files.entrySet()) {
        byte[] data = f.getValue().getBytes(StandardCharsets.UTF_8);
        gz.write(header(f.getKey(), data.length));
        gz.write(data);
        gz.write(new byte[(BLOCK - data.length % BLOCK) % BLOCK]);
      }
      gz.write(new byte[2 * BLOCK]); // the end of the archive
    }
    return bytes.toByteArray();
  }

  /** A ustar header for a regular file, mode 0644. */
  private static byte[] header(String name, int size) {
    byte[] h = new byte[BLOCK];
    put(h, 0, name);
    put(h, 100, "0000644");
    put(h, 108, "0000000");
    put(h, 116, "0000000");
    put(h, 124, String.format("%011o", size));
    put(h, 136, String.format("%011o", 0));
    h[156] = '0';
    put(h, 257, "ustar");
    put(h, 263, "00");
    java.util.Arrays.fill(h, 148, 156, (byte) ' ');
    int sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, String.format("%06o", sum));
    h[154] = 0;
    h[155] = ' ';
    return h;
  }

  private static void put(byte[] header, int at, String text) {
    byte[] b = text.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, header, at, b.length);
  }
}
