package dev.pacific.controlplane.scheduler;

import dev.pacific.controlplane.persistence.RegistryKeys;
import dev.pacific.controlplane.persistence.RegistryReader;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.controlplane.quorum.store.KeyRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Registry watches an actor follows, handed to it as messages, and cut when the actor stops (a
 * controller that lost its election must not act on changes any more).
 *
 * <p>The watches carry progress marks, so the feed knows how far it has seen; {@link #stalledFor} tells an actor
 * whose feed stood still behind its member's store, which no healthy watch does (a watch that falls behind is cut,
 * and says so), so that it lists again instead of waiting for changes that will not come.
 */
public final class RegistryFeed {

  private final ActorSystem<?> system;
  private final RegistryReader reader;
  private final List<UniqueKillSwitch> switches = new ArrayList<>();
  private final List<AtomicLong> seen = new ArrayList<>();
  private volatile boolean stopped;
  private long stuckAt = -1;
  private long stuckSince;

  public RegistryFeed(ActorSystem<?> system, RegistryReader reader) {
    this.system = system;
    this.reader = reader;
  }

  /** Every change of {@code kind} after {@code revision}; {@code failed} when the watch ends for any reason. */
  public void follow(ResourceKind kind, long revision, Consumer<RegistryReader.Change> each,
                     Consumer<Throwable> failed) {
    AtomicLong at = new AtomicLong(revision);
    seen.add(at);
    var running = reader.follow(KeyRange.prefix(RegistryKeys.prefix(kind)), revision)
        .viaMat(KillSwitches.single(), Keep.right())
        .toMat(Sink.foreach(r -> {
          r.changes().forEach(each::accept);
          at.set(r.revision());
        }), Keep.both())
        .run(system);
    switches.add(running.first());
    running.second().whenComplete((done, error) -> {
      if (!stopped) { // a watch cut by stop() is no news to anyone
        failed.accept(error != null ? error : new IllegalStateException("the watch of " + kind.resource() + " ended"));
      }
    });
  }

  /** Everything followed is seen up to here. */
  public long revision() {
    return seen.stream().mapToLong(AtomicLong::get).min().orElse(0);
  }

  /**
   * Whether the feed has stood at one revision, behind this member's store, for {@code patience} or more, as seen
   * by the calls so far (call it periodically, from the owning actor).
   */
  public boolean stalledFor(Duration patience) {
    long at = revision();
    if (seen.isEmpty() || at >= reader.localRevision()) {
      stuckAt = -1;
      return false;
    }
    long now = System.nanoTime();
    if (at != stuckAt) {
      stuckAt = at;
      stuckSince = now;
      return false;
    }
    return now - stuckSince >= patience.toNanos();
  }

  public void stop() {
    stopped = true;
    switches.forEach(UniqueKillSwitch::shutdown);
    switches.clear();
  }
}
