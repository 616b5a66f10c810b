package dev.pacific.host.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The host's images: fetches a bundle by digest, checks the digest, unpacks it once into a cache
 * that every pod using it shares, and counts its users so that {@link #collectUnused()} can remove
 * what no pod needs. A failed pull is a value with Kubernetes' reason {@code ErrImagePull} and a
 * message saying what is wrong; the pod agent turns repeated ones into {@code ImagePullBackOff}.
 *
 * <p>Cache layout: {@code CACHE/HEX/} is a complete bundle; it appears by an atomic rename of a
 * fully unpacked temporary directory, so a crash mid-unpack never leaves a half bundle in use.
 */
public final class ImageService {

  /** How acquiring an image went. */
  public sealed interface Pull {
    record Ready(ImageRef image, Path bundle) implements Pull {}

    record Failed(String reason, String message) implements Pull {}
  }

  private final ImageSource source;
  private final Path cache;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private final Map<String, Integer> users = new ConcurrentHashMap<>();

  public ImageService(ImageSource source, Path cache) throws IOException {
    this.source = source;
    this.cache = Files.createDirectories(cache);
  }

  /** Makes the image's bundle available and counts one more user of it. Blocking: call off an actor. */
  public Pull acquire(String image) {
    var ref = ImageRef.parse(image);
    if (ref.isEmpty()) {
      return new Pull.Failed("InvalidImageName", "image '" + image + "' is not NAME@sha256:HEX (64 lowercase hex digits)");
    }
    synchronized (locks.computeIfAbsent(ref.get().hex(), h -> new Object())) {
      Path bundle = cache.resolve(ref.get().hex());
      if (!Files.isDirectory(bundle)) {
        try {
          fetch(ref.get(), bundle);
        } catch (NoSuchFileException e) {
          return new Pull.Failed("ErrImagePull", "image " + ref.get() + " not found: " + e.getMessage());
        } catch (IOException e) {
          return new Pull.Failed("ErrImagePull", "pulling " + ref.get() + ": " + e.getMessage());
        }
      }
      users.merge(ref.get().hex(), 1, Integer::sum);
      return new Pull.Ready(ref.get(), bundle);
    }
  }

  /** One user fewer; the bundle stays cached until {@link #collectUnused()}. */
  public void release(String image) {
    ImageRef.parse(image).ifPresent(ref -> users.computeIfPresent(ref.hex(), (h, n) -> n <= 1 ? null : n - 1));
  }

  public int users(String image) {
    return ImageRef.parse(image).map(ref -> users.getOrDefault(ref.hex(), 0)).orElse(0);
  }

  /** Deletes every cached bundle no pod uses; returns their digests. */
  public List<String> collectUnused() throws IOException {
    List<String> removed = new ArrayList<>();
    try (var entries = Files.list(cache)) {
      for (Path dir : entries.toList()) {
        String hex = dir.getFileName().toString();
        synchronized (locks.computeIfAbsent(hex, h -> new Object())) {
          if (!users.containsKey(hex)) {
            deleteTree(dir);
            removed.add(hex);
          }
        }
      }
    }
    return removed;
  }

  private void fetch(ImageRef ref, Path bundle) throws IOException {
    Path download = Files.createTempFile(cache, ".download-", ".tar.gz");
    Path unpacking = Files.createTempDirectory(cache, ".unpack-");
    try {
      String actual = download(ref, download);
      if (!actual.equals(ref.hex())) {
        throw new IOException("digest mismatch: the bundle's SHA-256 is " + actual + ", not " + ref.hex()
            + "; re-upload it or fix the pod's image");
      }
      try (InputStream in = Files.newInputStream(download)) {
        BundleExtractor.extract(in, unpacking);
      }
      try {
        Files.move(unpacking, bundle, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(unpacking, bundle);
      }
    } finally {
      Files.deleteIfExists(download);
      deleteTree(unpacking);
    }
  }

  private String download(ImageRef ref, Path to) throws IOException {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(source.open(ref), sha256); OutputStream out = Files.newOutputStream(to)) {
      in.transferTo(out);
    }
    return HexFormat.of().formatHex(sha256.digest());
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
