package dev.pacific.host.images;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Unpacks a bundle's .tar.gz (ustar, with GNU long names and PAX paths) into a directory. An
 * entry that would land outside it — an absolute name, a {@code ..} that climbs out, a symbolic
 * link pointing out, a hard link — is refused with {@link Refused}, as is anything that is not a
 * well-formed archive.
 */
final class BundleExtractor {

  private static final int BLOCK = 512;

  /** Why an archive was not unpacked; the message is for the user who uploaded it. */
  static final class Refused extends IOException {
    Refused(String message) {
      super(message);
    }
  }

  private BundleExtractor() {}

  static void extract(InputStream tarGz, Path root) throws IOException {
    Path base = root.toAbsolutePath().normalize();
    InputStream in;
    try {
      in = new GZIPInputStream(tarGz, 64 * 1024);
    } catch (IOException e) {
      throw new Refused("the bundle is not a gzip archive (corrupt): " + e.getMessage());
    }
    String longName = null;
    byte[] header = new byte[BLOCK];
    try {
      while (readBlock(in, header)) {
        if (allZero(header)) {
          return; // end of archive
        }
        checkChecksum(header);
        String name = longName != null ? longName : name(header);
        longName = null;
        long size = octal(header, 124, 12);
        char type = (char) header[156];
        switch (type) {
          case 'L' -> longName = new String(readData(in, size), StandardCharsets.UTF_8).replace("\0", "");
          case 'x' -> longName = paxPath(readData(in, size));
          case 'g' -> skip(in, size + padding(size));
          case '5' -> Files.createDirectories(inside(base, name));
          case '0', '\0', '7' -> writeFile(in, inside(base, name), size, (int) octal(header, 100, 8));
          case '2' -> link(base, name, cString(header, 157, 100));
          case '1' -> throw new Refused("hard link '" + name + "' in the bundle is not supported");
          default -> throw new Refused("entry '" + name + "' has a type (" + type + ") a bundle may not hold");
        }
      }
      throw new Refused("the bundle archive ends without its end-of-archive marker");
    } catch (EOFException e) {
      throw new Refused("the bundle archive is truncated or corrupt: " + e.getMessage());
    } catch (java.util.zip.ZipException e) {
      throw new Refused("the bundle archive is corrupt: " + e.getMessage());
    }
  }

  /** Resolves an entry's name under the root, refusing one that escapes it. */
  static Path inside(Path base, String name) throws Refused {
    if (name.isEmpty() || name.startsWith("/")) {
      throw new Refused("archive entry '" + name + "' is absolute; bundle entries are relative, refused");
    }
    Path target = base.resolve(name).normalize();
    if (!target.startsWith(base)) {
      throw new Refused("archive entry '" + name + "' would land outside the bundle (path traversal); refused");
    }
    return target;
  }

  private static void link(Path base, String name, String target) throws IOException {
    Path at = inside(base, name);
    if (target.startsWith("/") || !at.getParent().resolve(target).normalize().startsWith(base)) {
      throw new Refused("symbolic link '" + name + "' -> '" + target + "' points outside the bundle; refused");
    }
    Files.createDirectories(at.getParent());
    Files.createSymbolicLink(at, Path.of(target));
  }

  private static void writeFile(InputStream in, Path at, long size, int mode) throws IOException {
    Files.createDirectories(at.getParent());
    if (Files.isSymbolicLink(at.getParent()) || Files.isSymbolicLink(at)) {
      throw new Refused("archive entry '" + at.getFileName() + "' would be written through a symbolic link");
    }
    try (OutputStream out = Files.newOutputStream(at)) {
      copy(in, out, size);
    }
    skip(in, padding(size));
    Set<PosixFilePermission> perms = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    if ((mode & 0100) != 0) {
      perms.add(PosixFilePermission.OWNER_EXECUTE);
    }
    Files.setPosixFilePermissions(at, perms);
  }

  private static String name(byte[] h) {
    String name = cString(h, 0, 100);
    String prefix = "ustar".equals(cString(h, 257, 5)) ? cString(h, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  /** A PAX extended header's {@code path} record ("LEN path=VALUE\n"), or null. */
  private static String paxPath(byte[] data) {
    for (String record : new String(data, StandardCharsets.UTF_8).split("\n")) {
      int eq = record.indexOf(" path=");
      if (eq >= 0) {
        return record.substring(eq + " path=".length());
      }
    }
    return null;
  }

  private static void checkChecksum(byte[] h) throws Refused {
    long stored = octal(h, 148, 8);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
    }
    if (sum != stored) {
      throw new Refused("the bundle archive is corrupt: a header checksum does not match");
    }
  }

  private static long octal(byte[] h, int offset, int length) throws Refused {
    String text = cString(h, offset, length).trim();
    try {
      return text.isEmpty() ? 0 : Long.parseLong(text, 8);
    } catch (NumberFormatException e) {
      throw new Refused("the bundle archive is corrupt: bad number '" + text + "' in a header");
    }
  }

  private static String cString(byte[] h, int offset, int length) {
    int end = offset;
    while (end < offset + length && h[end] != 0) {
      end++;
    }
    return new String(h, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static boolean allZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean readBlock(InputStream in, byte[] block) throws IOException {
    int n = in.readNBytes(block, 0, BLOCK);
    if (n == 0) {
      return false;
    }
    if (n < BLOCK) {
      throw new EOFException("a header block is cut short");
    }
    return true;
  }

  private static byte[] readData(InputStream in, long size) throws IOException {
    if (size > 1 << 20) {
      throw new Refused("the bundle archive holds an oversized extended header");
    }
    byte[] data = in.readNBytes((int) size);
    if (data.length < size) {
      throw new EOFException("an extended header is cut short");
    }
    skip(in, padding(size));
    return data;
  }

  private static void copy(InputStream in, OutputStream out, long size) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    while (size > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, size));
      if (n < 0) {
        throw new EOFException("a file's contents are cut short");
      }
      out.write(buffer, 0, n);
      size -= n;
    }
  }

  private static void skip(InputStream in, long n) throws IOException {
    in.skipNBytes(n);
  }

  private static long padding(long size) {
    return (BLOCK - size % BLOCK) % BLOCK;
  }
}
