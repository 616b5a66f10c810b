package dev.pacific.host.images;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/** Writes ustar archives by hand, so tests can build the hostile ones real tools refuse to make. */
final class TarBuilder {

  private final ByteArrayOutputStream tar = new ByteArrayOutputStream();

  TarBuilder file(String name, String content, int mode) {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    header(name, data.length, mode, '0', "");
    tar.writeBytes(data);
    tar.writeBytes(new byte[(512 - data.length % 512) % 512]);
    return this;
  }

  TarBuilder dir(String name) {
    header(name, 0, 0755, '5', "");
    return this;
  }

  TarBuilder symlink(String name, String target) {
    header(name, 0, 0777, '2', target);
    return this;
  }

  byte[] gzip() throws IOException {
    tar.writeBytes(new byte[1024]);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(tar.toByteArray());
    }
    return out.toByteArray();
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private void header(String name, long size, int mode, char type, String link) {
    byte[] h = new byte[512];
    put(h, 0, name);
    put(h, 100, String.format("%07o", mode));
    put(h, 108, "0000000");
    put(h, 116, "0000000");
    put(h, 124, String.format("%011o", size));
    put(h, 136, "00000000000");
    h[156] = (byte) type;
    put(h, 157, link);
    put(h, 257, "ustar");
    put(h, 263, "00");
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, String.format("%06o", sum));
    h[154] = 0;
    tar.writeBytes(h);
  }

  private static void put(byte[] h, int offset, String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(b, 0, h, offset, b.length);
  }
}
