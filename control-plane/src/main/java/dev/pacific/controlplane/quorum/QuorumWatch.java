package dev.pacific.controlplane.quorum;

import dev.pacific.controlplane.quorum.WatchHub.Revision;
import dev.pacific.controlplane.quorum.store.Change;
import dev.pacific.controlplane.quorum.store.Compacted;
import dev.pacific.controlplane.quorum.store.KeyRange;
import dev.pacific.controlplane.quorum.store.KvStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Watches on this member's applied state, after etcd's watch: every change to a key or range after
 * a revision, exactly once, in revision order. A watch first replays the member's history from
 * its store, then follows the changes the member applies, with the seam deduplicated by revision
 * (the live feed is subscribed before the history is read, so nothing falls between them).
 * Revisions are the quorum's, equal on every member, so a watcher whose member dies resumes on
 * another from the last revision it saw ({@link WatchEvent#revision()}) without gaps or duplicates.
 *
 * <p>A watch fails with {@link Compacted} when the history it needs is gone (the caller lists
 * again, as a Kubernetes client does on 410 Gone), and with {@link TooSlow} when it falls more
 * than the buffer behind the member. A snapshot installed on this member resumes it from the
 * store by itself.
 */
public final class QuorumWatch {

  /** The watcher fell further behind than its buffer; re-watch from the last revision seen. */
  public static final class TooSlow extends RuntimeException {
    TooSlow(int bound, long revision) {
      super("the watcher fell more than " + bound + " revisions behind this member (at revision " + revision
          + ") and was cut so as not to hold the quorum back; watch again from the last revision received");
    }
  }

  /** Internal: a snapshot replaced the member's state, so the watch replays again from its store. */
  static final class Restored extends RuntimeException {
    Restored(long revision) {
      super("this member installed a snapshot at revision " + revision, null, false, false);
    }
  }

  /**
   * One revision's events in a watched range, or none: with progress asked for, an empty one says the watcher has
   * seen everything in its range up to {@code revision}.
   */
  public record Batch(long revision, List<WatchEvent> events) {}

  private static final int PAGE = 1_000;

  private final KvStore store;
  private final WatchHub hub;
  private final int buffer;

  /** @param buffer revisions a watcher may fall behind the member before it is cut */
  public QuorumWatch(KvStore store, WatchHub hub, int buffer) {
    this.store = store;
    this.hub = hub;
    this.buffer = buffer;
  }

  /** Every change in {@code range} after revision {@code after} (0 = from the oldest kept), then live ones. */
  public Source<WatchEvent, NotUsed> watch(KeyRange range, long after) {
    return revisions(range, after, false).mapConcat(Revision::events);
  }

  /**
   * As {@link #watch}, a revision at a time, with progress: after each batch the member applies, an empty
   * {@link Batch} at its last revision when nothing in {@code range} changed at that revision.
   */
  public Source<Batch, NotUsed> watchWithProgress(KeyRange range, long after) {
    return revisions(range, after, true).map(r -> new Batch(r.revision(), r.events()));
  }

  private Source<Revision, NotUsed> revisions(KeyRange range, long after, boolean progress) {
    AtomicLong delivered = new AtomicLong(after);
    // One dedup, at the end, where every attempt's elements arrive in delivery order: the seam
    // between replay and live repeats revisions, and so does a replay after a snapshot. Revisions
    // arrive whole and increasing from each source, so "newer than the last delivered" is exact.
    return once(range, delivered, progress)
        .recoverWithRetries(-1, Restored.class, () -> once(range, delivered, progress))
        .filter(r -> r.revision() > delivered.get())
        .map(r -> {
          delivered.set(r.revision());
          return r;
        });
  }

  /** The oldest revision a watch can start after; older ones fail with {@link Compacted}. */
  public long compactedRevision() {
    return store.compactedRevision();
  }

  /** The store's current revision (a watch after it gets only changes still to come). */
  public long revision() {
    return store.revision();
  }

  /**
   * One attempt: the store's history after what was delivered, then the live feed, subscribed
   * first so that nothing falls between them (they overlap instead; {@link #watch} drops the overlap).
   */
  private Source<Revision, NotUsed> once(KeyRange range, AtomicLong delivered, boolean progress) {
    return Source.<Revision, NotUsed>fromMaterializer((mat, attributes) -> {
      Pair<BoundedSourceQueue<Revision>, Source<Revision, NotUsed>> live =
          Source.<Revision>queue(buffer).preMaterialize(mat);
      WatchHub.Subscriber subscription = hub.subscribe(range, live.first(), buffer, progress);
      return replay(range, delivered.get())
          .concat(live.second())
          .watchTermination((notUsed, done) -> {
            done.whenComplete((d, e) -> {
              hub.unsubscribe(subscription);
              live.first().complete();
            });
            return NotUsed.getInstance();
          });
    }).mapMaterializedValue(m -> NotUsed.getInstance());
  }

  /** The store's history after {@code after}, a page of whole revisions at a time, read on the blocking dispatcher. */
  private Source<Revision, NotUsed> replay(KeyRange range, long after) {
    return Source.unfold(after, (Long from) -> {
      List<Change> page = store.changesAfter(from, PAGE);
      if (page.isEmpty()) {
        return Optional.<Pair<Long, List<Revision>>>empty();
      }
      long last = page.get(page.size() - 1).kv().modRevision();
      return Optional.of(Pair.create(last, WatchHub.group(page, range)));
    }).withAttributes(ActorAttributes.dispatcher("pekko.stream.blocking-io-dispatcher"))
        .mapConcat(revisions -> revisions);
  }
}
