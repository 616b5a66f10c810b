package dev.pacific.host.logs;

import dev.pacific.host.runtime.RotatingLog;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads one container instance's log across its rotated files, oldest first, as if it were one
 * file. {@code tailLines} is found by scanning back from the end, so a large log is never read
 * whole to answer "the last 10 lines".
 */
public final class LogReader {

  private static final int CHUNK = 8192;

  private LogReader() {}

  /** Writes the selected part of the log; returns the current file's length read up to (for follow). */
  public static long copy(Path current, LogQuery query, OutputStream out) throws IOException {
    List<Path> files = RotatingLog.filesOldestFirst(current);
    long[] sizes = new long[files.size()];
    for (int i = 0; i < files.size(); i++) {
      sizes[i] = Files.size(files.get(i));
    }
    long[] start = query.tailLines() == null ? new long[] {0, 0} : tailStart(files, sizes, query.tailLines());
    long budget = query.limitBytes() == null ? Long.MAX_VALUE : query.limitBytes();
    for (int i = (int) start[0]; i < files.size() && budget > 0; i++) {
      long from = i == start[0] ? start[1] : 0;
      budget -= copyRange(files.get(i), from, sizes[i], budget, out);
    }
    return sizes.length == 0 ? 0 : sizes[sizes.length - 1];
  }

  /** Writes up to {@code budget} bytes of {@code [from, to)}; returns how many. */
  static long copyRange(Path file, long from, long to, long budget, OutputStream out) throws IOException {
    long written = 0;
    byte[] buffer = new byte[CHUNK];
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      raf.seek(from);
      long left = Math.min(to - from, budget);
      while (left > 0) {
        int n = raf.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          break;
        }
        out.write(buffer, 0, n);
        left -= n;
        written += n;
      }
    }
    return written;
  }

  /**
   * Where the last {@code lines} lines begin, as {file index, offset}. A final line without its
   * newline counts as a line, as {@code tail -n} counts it.
   */
  private static long[] tailStart(List<Path> files, long[] sizes, int lines) throws IOException {
    if (lines == 0) {
      return new long[] {files.size(), 0};
    }
    int newlines = 0;
    boolean skipTrailing = true;
    byte[] buffer = new byte[CHUNK];
    for (int i = files.size() - 1; i >= 0; i--) {
      try (RandomAccessFile raf = new RandomAccessFile(files.get(i).toFile(), "r")) {
        for (long end = sizes[i]; end > 0; ) {
          int n = (int) Math.min(CHUNK, end);
          raf.seek(end - n);
          raf.readFully(buffer, 0, n);
          for (int j = n - 1; j >= 0; j--) {
            if (buffer[j] == '\n') {
              if (skipTrailing) {
                skipTrailing = false; // the newline ending the last line
              } else if (++newlines == lines) {
                return new long[] {i, end - n + j + 1};
              }
            } else {
              skipTrailing = false;
            }
          }
          end -= n;
        }
      }
    }
    return new long[] {0, 0};
  }
}
