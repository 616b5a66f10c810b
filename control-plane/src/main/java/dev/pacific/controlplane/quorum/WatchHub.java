package dev.pacific.controlplane.quorum;

import dev.pacific.controlplane.quorum.store.Change;
import dev.pacific.controlplane.quorum.store.ChangeListener;
import dev.pacific.controlplane.quorum.store.KeyRange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;

/**
 * A member's local fan-out of applied changes to its watchers. The store calls it on the member
 * actor after each durable batch; each watcher has a bounded queue that is offered to without
 * waiting, so a slow watcher can never stall the member: when its queue is full it is cut with
 * {@link QuorumWatch.TooSlow} (etcd cancels such watchers' "unsynced" catch-up the same way a
 * Kubernetes watch cache drops a watcher whose buffer is full).
 */
final class WatchHub implements ChangeListener {

  /** The events of one revision that fall in a watcher's range: a watcher sees a revision whole. */
  record Revision(long revision, List<WatchEvent> events) {}

  /**
   * One watcher's range and queue. A watcher that asks for {@code progress} also gets, after each applied batch
   * with nothing in its range at the batch's last revision, an empty {@link Revision} of it: proof that it has seen
   * everything in its range up to there (etcd's progress notification), so a cache fed by it can serve reads at
   * a revision it was asked for even when the latest changes were elsewhere.
   */
  static final class Subscriber {
    final KeyRange range;
    final BoundedSourceQueue<Revision> queue;
    final int bound;
    final boolean progress;

    Subscriber(KeyRange range, BoundedSourceQueue<Revision> queue, int bound, boolean progress) {
      this.range = range;
      this.queue = queue;
      this.bound = bound;
      this.progress = progress;
    }
  }

  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

  Subscriber subscribe(KeyRange range, BoundedSourceQueue<Revision> queue, int bound) {
    return subscribe(range, queue, bound, false);
  }

  Subscriber subscribe(KeyRange range, BoundedSourceQueue<Revision> queue, int bound, boolean progress) {
    Subscriber s = new Subscriber(range, queue, bound, progress);
    subscribers.add(s);
    return s;
  }

  void unsubscribe(Subscriber s) {
    subscribers.remove(s);
  }

  int size() {
    return subscribers.size();
  }

  /**
   * Runs on the member actor, inside its apply: nothing a watcher does may throw here, or the member itself
   * would stop. A watcher whose stream already ended (cancelled, completed) is dropped before it unsubscribes;
   * only a full queue is cut with {@link QuorumWatch.TooSlow}. (Failing an ended queue throws "The queue has
   * already been completed": under a 10 x 1,000 pods benchmark that stopped the quorum actor of two members.)
   */
  @Override
  public void applied(List<Change> changes) {
    long last = changes.isEmpty() ? 0 : changes.get(changes.size() - 1).kv().modRevision();
    for (Subscriber s : subscribers) {
      List<Revision> revisions = group(changes, s.range);
      if (s.progress && last > 0 && (revisions.isEmpty() || revisions.get(revisions.size() - 1).revision() < last)) {
        revisions = new ArrayList<>(revisions);
        revisions.add(new Revision(last, List.of()));
      }
      for (Revision r : revisions) {
        QueueOfferResult offered = s.queue.offer(r);
        if (!offered.isEnqueued()) {
          subscribers.remove(s);
          if (offered == QueueOfferResult.dropped()) {
            end(s, new QuorumWatch.TooSlow(s.bound, r.revision()));
          }
          break;
        }
      }
    }
  }

  /** Changes up to this revision were never published here: every watcher replays them from the store. */
  @Override
  public void restored(long revision) {
    for (Subscriber s : subscribers) {
      subscribers.remove(s);
      end(s, new QuorumWatch.Restored(revision));
    }
  }

  /** Fails the watcher's stream; one that ended meanwhile (its consumer went away) has nothing left to tell. */
  private static void end(Subscriber s, Throwable why) {
    try {
      s.queue.fail(why);
    } catch (IllegalStateException alreadyEnded) {
      // the stream completed or was cancelled between the offer and here
    }
  }

  /** Splits changes (in revision order) into revisions, keeping those in {@code range}; empty ones are dropped. */
  static List<Revision> group(List<Change> changes, KeyRange range) {
    List<Revision> out = new ArrayList<>();
    List<WatchEvent> current = new ArrayList<>();
    long revision = -1;
    for (Change c : changes) {
      if (c.kv().modRevision() != revision && !current.isEmpty()) {
        out.add(new Revision(revision, List.copyOf(current)));
        current.clear();
      }
      revision = c.kv().modRevision();
      if (range.contains(c.kv().key())) {
        current.add(WatchEvent.of(c));
      }
    }
    if (!current.isEmpty()) {
      out.add(new Revision(revision, List.copyOf(current)));
    }
    return out;
  }
}
