package dev.pacific.controlplane.persistence;

import dev.pacific.controlplane.entities.EntityState;
import dev.pacific.controlplane.quorum.QuorumKv;
import dev.pacific.controlplane.quorum.QuorumWatch;
import dev.pacific.controlplane.quorum.WatchEvent;
import dev.pacific.controlplane.quorum.store.KeyRange;
import dev.pacific.controlplane.quorum.store.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the registry straight from the quorum, as Kubernetes' API server reads etcd: gets and
 * pages are linearizable ({@link QuorumKv}), a later page can read at an earlier page's revision
 * (a consistent list), and watches follow the quorum's changes exactly once by revision
 * ({@link QuorumWatch}). Values are {@link StoredState} envelopes decoded with the serializer
 * that wrote them; the object's {@code resourceVersion} is the key's mod revision, which the
 * reader hands out beside the state because the stored object does not carry it.
 *
 * <p>A value under a registry prefix that does not decode (written by hand through the admin
 * key-value API, or by a newer version) is skipped by lists and watches with a warning, so one bad
 * record cannot make a whole kind unreadable; a get of it fails with {@link Undecodable}.
 */
public final class RegistryReader {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryReader.class);

  /** One stored object: where it is, its entity state, and the key's mod revision (its resourceVersion). */
  public record Record(ObjectRef ref, EntityState state, long modRevision) {}

  /**
   * A page of records in key order, read at {@code revision}. {@code lastKey} is the last key
   * read (also when it did not decode), where the next page starts after; {@code more} says
   * whether keys remain in the range beyond it.
   */
  public record Page(List<Record> records, byte[] lastKey, boolean more, long revision) {
    public Page {
      records = List.copyOf(records);
    }
  }

  /** A change to one record; a deletion carries the record's last state with the deleting revision. */
  public record Change(WatchEvent.Type type, Record record) {}

  /**
   * The changes of one revision in a followed range, decoded; none when it only says that the range is seen up to
   * {@code revision} (a progress mark).
   */
  public record Revision(long revision, List<Change> changes) {}

  /** A stored value that is not an entity state this member can decode. */
  public static final class Undecodable extends RuntimeException {
    Undecodable(String key, Exception cause) {
      super("the value stored under " + key + " is not an entity state this member can decode: " + cause.getMessage(),
          cause);
    }
  }

  private final QuorumKv kv;
  private final QuorumWatch watch;
  private final Serialization serialization;

  public RegistryReader(QuorumKv kv, QuorumWatch watch, Serialization serialization) {
    this.kv = kv;
    this.watch = watch;
    this.serialization = serialization;
  }

  /** The object's record, or empty; fails with {@link Undecodable} for a value that does not decode. */
  public CompletionStage<Optional<Record>> get(ObjectRef ref) {
    return kv.get(RegistryKeys.key(ref)).thenApply(found -> found.map(this::decode));
  }

  /**
   * At most {@code limit} keys (0 = all) of {@code range} as of {@code revision} (0 = latest).
   * A compacted revision fails with {@link QuorumKv.Refused} ({@code COMPACTED}).
   */
  public CompletionStage<Page> page(KeyRange range, long revision, long limit) {
    return kv.range(range, revision, limit).thenApply(result -> {
      List<Record> records = new ArrayList<>(result.kvs().size());
      for (KeyValue each : result.kvs()) {
        decodeOrSkip(each).ifPresent(records::add);
      }
      byte[] last = result.kvs().isEmpty() ? null : result.kvs().get(result.kvs().size() - 1).key();
      return new Page(records, last, result.more(), result.revision());
    });
  }

  /**
   * Every change in {@code range} after revision {@code after}, then live ones. Fails with
   * {@code Compacted} when that history is gone and {@link QuorumWatch.TooSlow} when the watcher
   * falls too far behind.
   */
  public Source<Change, NotUsed> watch(KeyRange range, long after) {
    return watch.watch(range, after)
        .mapConcat(e -> decodeOrSkip(e.kv()).map(r -> List.of(new Change(e.type(), r))).orElse(List.of()));
  }

  /**
   * As {@link #watch}, a revision at a time, with progress marks: an empty {@link Revision} after each batch the
   * member applied with nothing in {@code range} at its last revision. A cache fed by this knows how far it has
   * seen, so it can wait for a revision read from the quorum and serve a consistent read.
   */
  public Source<Revision, NotUsed> follow(KeyRange range, long after) {
    return watch.watchWithProgress(range, after).map(b -> {
      List<Change> changes = new ArrayList<>(b.events().size());
      for (WatchEvent e : b.events()) {
        decodeOrSkip(e.kv()).ifPresent(r -> changes.add(new Change(e.type(), r)));
      }
      return new Revision(b.revision(), changes);
    });
  }

  /** The revision this member's store has applied up to (a watch with progress reaches it soon after). */
  public long localRevision() {
    return watch.revision();
  }

  /** The oldest revision a watch or a read at a revision can still start from on this member. */
  public long compactedRevision() {
    return watch.compactedRevision();
  }

  /** Decodes one stored value under a registry key. */
  public Record decode(KeyValue stored) {
    ObjectRef ref;
    try {
      ref = RegistryKeys.ofKey(stored.key());
    } catch (IllegalArgumentException e) {
      throw new Undecodable(new String(stored.key(), java.nio.charset.StandardCharsets.UTF_8), e);
    }
    try {
      Object state = StoredState.decode(stored.value()).toObject(serialization);
      if (!(state instanceof EntityState entity)) {
        throw new IllegalArgumentException("a " + state.getClass().getName() + " is not an EntityState");
      }
      return new Record(ref, entity, stored.modRevision());
    } catch (Exception e) { // Pekko's Try.get rethrows a serializer's checked exceptions too

      throw new Undecodable(ref.toString(), e);
    }
  }

  private Optional<Record> decodeOrSkip(KeyValue stored) {
    try {
      return Optional.of(decode(stored));
    } catch (Undecodable e) {
      LOG.warn("skipped in a list or watch: {}", e.getMessage());
      return Optional.empty();
    }
  }
}
