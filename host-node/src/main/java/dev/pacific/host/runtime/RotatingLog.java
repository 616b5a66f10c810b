package dev.pacific.host.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One container instance's output, capped as the kubelet caps it ({@code containerLogMaxSize},
 * {@code containerLogMaxFiles}): {@code N.log} is written until it would pass {@code maxBytes},
 * then it becomes {@code N.log.1}, the older ones shift up, and the oldest beyond
 * {@code maxFiles} is deleted. A container that writes without end costs at most
 * {@code maxBytes * maxFiles} of disk.
 */
public final class RotatingLog implements AutoCloseable {

  private final Path current;
  private final long maxBytes;
  private final int maxFiles;
  private OutputStream out;
  private long written;

  public RotatingLog(Path current, long maxBytes, int maxFiles) throws IOException {
    if (maxBytes < 1 || maxFiles < 1) {
      throw new IllegalArgumentException("log max-bytes and max-files must be at least 1");
    }
    this.current = current;
    this.maxBytes = maxBytes;
    this.maxFiles = maxFiles;
    Files.createDirectories(current.getParent());
    this.out = Files.newOutputStream(current, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
  }

  /** Appends, rotating first when the chunk would not fit; a chunk bigger than a file is split. */
  public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
    while (length > 0) {
      if (written >= maxBytes) {
        rotate();
      }
      int n = (int) Math.min(length, maxBytes - written);
      out.write(bytes, offset, n);
      out.flush();
      written += n;
      offset += n;
      length -= n;
    }
  }

  private void rotate() throws IOException {
    out.close();
    Files.deleteIfExists(rotated(current, maxFiles - 1));
    for (int i = maxFiles - 2; i >= 1; i--) {
      Path older = rotated(current, i);
      if (Files.exists(older)) {
        Files.move(older, rotated(current, i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (maxFiles > 1) {
      Files.move(current, rotated(current, 1), StandardCopyOption.REPLACE_EXISTING);
    }
    out = Files.newOutputStream(current, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    written = 0;
  }

  /** The files of one instance's log, oldest first, the one being written last. */
  public static List<Path> filesOldestFirst(Path current) {
    List<Path> files = new ArrayList<>();
    for (int i = 64; i >= 1; i--) {
      Path older = rotated(current, i);
      if (Files.exists(older)) {
        files.add(older);
      }
    }
    if (Files.exists(current)) {
      files.add(current);
    }
    return files;
  }

  static Path rotated(Path current, int generation) {
    return current.resolveSibling(current.getFileName() + "." + generation);
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
