package dev.pacific.controlplane.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.FileIO;
import org.apache.pekko.util.ByteString;

/**
 * An uploaded bundle on its way into the content library: streamed into a file of the member's
 * spool directory while its SHA-256 is computed, so that a large bundle never sits whole in the
 * heap (the chunks are read back from the file one at a time). The caller deletes the file.
 */
final class ImageUpload {

  /** gzip's magic bytes (RFC 1952 §2.3.1): what every .tar.gz begins with. */
  private static final byte ID1 = 0x1f;
  private static final byte ID2 = (byte) 0x8b;

  /**
   * The body as received: where it is, its digest and size, and whether it starts as gzip does.
   * When {@code size} is over the limit the file holds only the start and the digest means nothing.
   */
  record Spooled(Path file, String hex, long size, boolean gzip) {}

  /** What the stream saw; touched only by its one map stage, read after the sink completed. */
  private static final class Tally {
    final MessageDigest sha256;
    final byte[] head = new byte[2];
    long size;

    Tally() {
      try {
        sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java runtime has SHA-256", e);
      }
    }

    /** Counts the bytes; what to write: nothing once past {@code maxBytes} (the rest is only drained). */
    synchronized ByteString add(ByteString bytes, long maxBytes) {
      for (int i = 0; size + i < 2 && i < bytes.size(); i++) {
        head[(int) size + i] = bytes.apply(i);
      }
      size += bytes.size();
      if (size > maxBytes) {
        return ByteString.emptyByteString();
      }
      sha256.update(bytes.asByteBuffer());
      return bytes;
    }

    synchronized Spooled spooled(Path file) {
      return new Spooled(file, HexFormat.of().formatHex(sha256.digest()), size,
          size >= 2 && head[0] == ID1 && head[1] == ID2);
    }
  }

  private ImageUpload() {}

  /** How much of a body over the limit is drained before the connection is cut instead. */
  static long drainLimit(long maxBytes) {
    return Math.max(2 * maxBytes, maxBytes + 8L * 1024 * 1024);
  }

  /**
   * Streams {@code entity} into a new file in {@code spoolDir}. A body over {@code maxBytes} is read
   * to its end without being kept, and the result's size says so: the client still sending it then
   * reads the 413 rather than a reset connection. Only a body past {@link #drainLimit} fails the
   * stage, with Pekko's {@code EntityStreamSizeException} (the file is then already deleted).
   */
  static CompletionStage<Spooled> spool(RequestEntity entity, long maxBytes, Path spoolDir, Materializer mat)
      throws IOException {
    Files.createDirectories(spoolDir);
    Path file = Files.createTempFile(spoolDir, "upload-", ".tar.gz");
    Tally tally = new Tally();
    return entity.withSizeLimit(drainLimit(maxBytes)).getDataBytes()
        .map(bytes -> tally.add(bytes, maxBytes))
        .runWith(FileIO.toPath(file), mat)
        .handle((io, failure) -> {
          if (failure != null) {
            deleteQuietly(file);
            throw failure instanceof RuntimeException r ? r : new java.util.concurrent.CompletionException(failure);
          }
          return tally.spooled(file);
        });
  }

  /** Removes what uploads cut short by a crash left in the spool directory. */
  static void clearSpool(Path spoolDir) {
    if (!Files.isDirectory(spoolDir)) {
      return;
    }
    try (var left = Files.list(spoolDir)) {
      left.filter(f -> f.getFileName().toString().startsWith("upload-")).forEach(ImageUpload::deleteQuietly);
    } catch (IOException ignored) {
      // nothing to clear, or nothing we may clear: new uploads still get their own files
    }
  }

  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a leftover spool file is removed with the member's data directory
    }
  }
}
