package dev.pacific.host.logs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.pekko.util.ByteString;

/**
 * Follows one instance's log from a position, a poll at a time, as {@code kubectl logs -f} does:
 * new bytes as they are written, across a rotation (the rest of the rotated file first), until
 * the instance has ended and everything it wrote was sent, or the byte limit is reached. One
 * stream owns it; it is not shared.
 */
final class Follower {

  private static final int MAX_CHUNK = 64 * 1024;

  private final Path file;
  private final LogLocator locator;
  private long position;
  private long budget;

  Follower(Path file, long position, long budget, LogLocator locator) {
    this.file = file;
    this.position = position;
    this.budget = budget;
    this.locator = locator;
  }

  /** The next bytes (maybe none yet), or empty when following is over. */
  Optional<ByteString> poll() throws IOException {
    if (budget <= 0) {
      return Optional.empty();
    }
    boolean writing = locator.writing(file); // asked first: what is written before it ended is still sent
    long size = Files.exists(file) ? Files.size(file) : 0;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (size < position) {
      Path rotated = file.resolveSibling(file.getFileName() + ".1");
      if (Files.exists(rotated)) {
        budget -= LogReader.copyRange(rotated, position, Files.size(rotated), Math.min(budget, MAX_CHUNK), out);
      }
      position = 0;
    }
    long n = LogReader.copyRange(file, position, size, Math.min(budget, MAX_CHUNK), out);
    position += n;
    budget -= n;
    if (out.size() == 0 && !writing) {
      return Optional.empty();
    }
    return Optional.of(ByteString.fromArray(out.toByteArray()));
  }
}
