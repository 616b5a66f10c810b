package dev.pacific.controlplane.library;

import com.typesafe.config.Config;
import java.nio.file.Path;

/**
 * {@code pacific.library}: how large the content library's images and the library itself may grow,
 * and how bundles are cut for the quorum (reference.conf documents each key).
 *
 * @param maxImageBytes one upload's limit (413 above it)
 * @param maxTotalBytes the sum of distinct bundles' sizes the library may hold (413 for an upload past it)
 * @param chunkBytes bytes per quorum value a bundle is cut into
 * @param spoolDir where an upload is written while its digest is computed (relative: under the member's data directory)
 */
public record LibrarySettings(long maxImageBytes, long maxTotalBytes, int chunkBytes, Path spoolDir) {

  /** The quorum takes values up to 1.5 MiB; a chunk stays well below. */
  public static final int MAX_CHUNK_BYTES = 1024 * 1024;

  public LibrarySettings {
    if (maxImageBytes < 1 || maxTotalBytes < maxImageBytes || chunkBytes < 1 || chunkBytes > MAX_CHUNK_BYTES) {
      throw new IllegalArgumentException("pacific.library: max-image-bytes must be positive and at most "
          + "max-total-bytes, chunk-bytes between 1 and 1 MiB: " + maxImageBytes + ", " + maxTotalBytes + ", "
          + chunkBytes);
    }
  }

  /** From the root configuration; a relative spool directory resolves under {@code memberDataDir}. */
  public static LibrarySettings fromConfig(Config config, Path memberDataDir) {
    Config c = config.getConfig("pacific.library");
    return new LibrarySettings(c.getBytes("max-image-bytes"), c.getBytes("max-total-bytes"),
        c.getBytes("chunk-bytes").intValue(), memberDataDir.resolve(c.getString("spool-dir")));
  }
}
