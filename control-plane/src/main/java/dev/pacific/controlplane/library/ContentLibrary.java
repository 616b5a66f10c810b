package dev.pacific.controlplane.library;

import dev.pacific.api.Json;
import dev.pacific.controlplane.quorum.QuorumKv;
import dev.pacific.controlplane.quorum.store.KeyRange;
import dev.pacific.controlplane.quorum.store.KeyValue;
import dev.pacific.controlplane.quorum.store.KvCommand;
import dev.pacific.controlplane.quorum.store.KvCommand.Compare;
import dev.pacific.controlplane.quorum.store.KvResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The content library: image bundles kept in the replicated quorum, so they survive the loss of any
 * control-plane member as every other piece of cluster state does.
 *
 * <p>Layout. A bundle is cut into chunks of at most {@code chunk-bytes} (the quorum's values stop at
 * 1.5 MiB) under {@code images/blobs/HEX/NNNNNN}, shared by every name uploaded with the same bytes.
 * Each image has a record ({@link LibraryImage}) under {@code images/meta/NAME@sha256:HEX}, and
 * {@code images/digests/HEX} changes whenever a record naming HEX is written.
 *
 * <p>Metadata last. The record is written in one transaction that compares every chunk of its bundle
 * present, so an upload cut short (crash, lost leader) is never listed and never read half. A delete
 * removes the chunks only if {@code images/digests/HEX} has not moved since it found no other record
 * naming HEX, so a concurrent upload of the same bytes under another name keeps them.
 */
public final class ContentLibrary {

  static final String META = "images/meta/";
  static final String BLOBS = "images/blobs/";
  static final String DIGESTS = "images/digests/";
  /** A commit whose chunks vanished (a concurrent delete) writes them again at most this often. */
  private static final int COMMIT_ATTEMPTS = 3;

  /** How an upload ended. */
  public sealed interface Stored {
    /** Newly in the library. */
    record Added(LibraryImage image) implements Stored {}

    /** This name with these bytes was already there: uploading it again changes nothing. */
    record AlreadyThere(LibraryImage image) implements Stored {}

    /** Adding it would take the library past its limit. */
    record Full(long used, long limit) implements Stored {}
  }

  /** A bundle received whole into a local file, with its SHA-256 (lowercase hex) and size. */
  public record Upload(String name, String hex, long size, Path file) {}

  /** A listed image's chunk is gone: the quorum lost what it acknowledged, or a delete raced the read. */
  public static final class MissingChunk extends IllegalStateException {
    MissingChunk(String key) {
      super("chunk " + key + " of a listed image is missing");
    }
  }

  private final QuorumKv kv;
  private final LibrarySettings settings;
  private final Clock clock;
  private final Executor blocking;

  /** @param blocking where upload files are read */
  public ContentLibrary(QuorumKv kv, LibrarySettings settings, Clock clock, Executor blocking) {
    this.kv = kv;
    this.settings = settings;
    this.clock = clock;
    this.blocking = blocking;
  }

  public LibrarySettings settings() {
    return settings;
  }

  /** Every image, by name then digest, with the quorum revision the list reflects. */
  public record Listing(List<LibraryImage> images, long revision) {}

  public CompletionStage<Listing> list() {
    return kv.range(KeyRange.prefix(bytes(META))).thenApply(r -> {
      List<LibraryImage> images = new ArrayList<>();
      for (KeyValue k : r.kvs()) {
        images.add(decode(k));
      }
      return new Listing(images, r.revision());
    });
  }

  public CompletionStage<Optional<LibraryImage>> find(LibraryRef ref) {
    return kv.get(bytes(META + ref)).thenApply(found -> found.map(ContentLibrary::decode));
  }

  /** Chunk {@code n} of the image's bundle; fails with {@link MissingChunk} if it is not there. */
  public CompletionStage<byte[]> chunk(LibraryImage image, int n) {
    String key = chunkKey(image.hex(), n);
    return kv.get(bytes(key)).thenApply(found -> found.map(KeyValue::value).orElseThrow(() -> new MissingChunk(key)));
  }

  /** Adds the upload's bundle under its name: chunks first, the record last. */
  public CompletionStage<Stored> store(Upload upload) {
    LibraryRef ref = new LibraryRef(upload.name(), upload.hex());
    return list().thenCompose(listing -> {
      Optional<LibraryImage> same = listing.images().stream().filter(i -> i.image().equals(ref.toString())).findFirst();
      if (same.isPresent()) {
        return CompletableFuture.completedFuture(new Stored.AlreadyThere(same.get()));
      }
      Optional<LibraryImage> sameBytes = listing.images().stream().filter(i -> i.hex().equals(upload.hex())).findFirst();
      long used = usedBytes(listing.images());
      if (sameBytes.isEmpty() && used + upload.size() > settings.maxTotalBytes()) {
        return CompletableFuture.completedFuture(new Stored.Full(used, settings.maxTotalBytes()));
      }
      // Same bytes under another name: its chunks are already there, in its chunk size.
      int chunkBytes = sameBytes.map(LibraryImage::chunkBytes).orElse(settings.chunkBytes());
      int chunks = (int) ((upload.size() + chunkBytes - 1) / chunkBytes);
      LibraryImage image = new LibraryImage(ref.toString(), upload.name(), "sha256:" + upload.hex(), upload.size(),
          chunks, chunkBytes, clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
      return commit(image, upload.file(), sameBytes.isEmpty(), 1);
    });
  }

  /** Removes the image's record, then its chunks if no other record names the same bytes; false if it was not there. */
  public CompletionStage<Boolean> delete(LibraryRef ref) {
    return kv.delete(bytes(META + ref), OptionalLong.empty()).thenCompose(outcome -> {
      if (outcome instanceof QuorumKv.Outcome.Missing) {
        return CompletableFuture.completedFuture(false);
      }
      return removeChunksIfUnused(ref.hex()).thenApply(ignored -> true);
    });
  }

  private CompletionStage<Stored> commit(LibraryImage image, Path file, boolean writeChunks, int attempt) {
    CompletionStage<Void> written = writeChunks ? writeChunks(image, file, 0) : CompletableFuture.completedFuture(null);
    return written.thenCompose(ignored -> kv.txn(commitCompares(image), List.of(
        new KvCommand.Put(bytes(META + image.image()), Json.write(image), KvCommand.NO_LEASE),
        new KvCommand.Put(bytes(DIGESTS + image.hex()), bytes(image.image()), KvCommand.NO_LEASE)),
        List.of(new KvCommand.Get(KeyRange.key(bytes(META + image.image())), 1))))
        .thenCompose(t -> {
          if (t.succeeded()) {
            return CompletableFuture.completedFuture(new Stored.Added(image));
          }
          List<KeyValue> existing = ((KvResult.RangeResult) t.results().get(0)).kvs();
          if (!existing.isEmpty()) {
            return CompletableFuture.completedFuture(new Stored.AlreadyThere(decode(existing.get(0))));
          }
          if (attempt >= COMMIT_ATTEMPTS) {
            throw new IllegalStateException("the chunks of " + image.image() + " kept vanishing while it was stored");
          }
          return commit(image, file, true, attempt + 1);
        });
  }

  /** The record must be new, and every chunk of its bundle there. */
  private static List<Compare> commitCompares(LibraryImage image) {
    List<Compare> compares = new ArrayList<>();
    compares.add(Compare.version(bytes(META + image.image()), KvCommand.Op.EQUAL, 0));
    for (int n = 0; n < image.chunks(); n++) {
      compares.add(Compare.version(bytes(chunkKey(image.hex(), n)), KvCommand.Op.GREATER, 0));
    }
    return compares;
  }

  /** One chunk at a time: a 1 MiB proposal is replicated and synced before the next is read. */
  private CompletionStage<Void> writeChunks(LibraryImage image, Path file, int n) {
    if (n >= image.chunks()) {
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.supplyAsync(() -> read(file, (long) n * image.chunkBytes(),
            (int) Math.min(image.chunkBytes(), image.size() - (long) n * image.chunkBytes())), blocking)
        .thenCompose(data -> kv.put(bytes(chunkKey(image.hex(), n)), data, OptionalLong.empty()))
        .thenCompose(ignored -> writeChunks(image, file, n + 1));
  }

  private CompletionStage<Void> removeChunksIfUnused(String hex) {
    byte[] digestKey = bytes(DIGESTS + hex);
    return kv.get(digestKey).thenCompose(marker -> list().thenCompose(listing -> {
      if (listing.images().stream().anyMatch(i -> i.hex().equals(hex))) {
        return CompletableFuture.completedFuture(null);
      }
      long modRevision = marker.map(KeyValue::modRevision).orElse(0L);
      // A record naming HEX written since the read moves the marker, and the chunks stay.
      return kv.txn(List.of(Compare.modRevision(digestKey, KvCommand.Op.EQUAL, modRevision)),
          List.of(new KvCommand.Delete(KeyRange.prefix(bytes(BLOBS + hex + "/"))),
              new KvCommand.Delete(KeyRange.key(digestKey))), List.of()).thenApply(t -> null);
    }));
  }

  /** The sum of the distinct bundles' sizes: bytes shared by two names count once. */
  static long usedBytes(List<LibraryImage> images) {
    Map<String, Long> byDigest = new HashMap<>();
    images.forEach(i -> byDigest.put(i.hex(), i.size()));
    return byDigest.values().stream().mapToLong(Long::longValue).sum();
  }

  static String chunkKey(String hex, int n) {
    return BLOBS + hex + "/" + String.format("%06d", n);
  }

  private static byte[] read(Path file, long offset, int length) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(length);
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, offset + buffer.position()) < 0) {
          throw new IOException(file + " ends before byte " + (offset + length));
        }
      }
      return buffer.array();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static LibraryImage decode(KeyValue k) {
    try {
      return Json.read(k.value(), LibraryImage.class);
    } catch (IOException e) {
      throw new IllegalStateException("undecodable library record " + new String(k.key(), StandardCharsets.UTF_8), e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
