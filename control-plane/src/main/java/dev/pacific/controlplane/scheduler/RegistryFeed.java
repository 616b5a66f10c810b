package dev.pacific.controlplane.scheduler;

import dev.pacific.controlplane.persistence.RegistryKeys;
import dev.pacific.controlplane.persistence.RegistryReader;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.controlplane.quorum.store.KeyRange;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Registry watches an actor follows, handed to it as messages, and cut when the actor stops (a
 * controller that lost its election must not act on changes any more).
 */
public final class RegistryFeed {

  private final ActorSystem<?> system;
  private final RegistryReader reader;
  private final List<UniqueKillSwitch> switches = new ArrayList<>();
  private volatile boolean stopped;

  public RegistryFeed(ActorSystem<?> system, RegistryReader reader) {
    this.system = system;
    this.reader = reader;
  }

  /** Every change of {@code kind} after {@code revision}; {@code failed} when the watch ends for any reason. */
  public void follow(ResourceKind kind, long revision, Consumer<RegistryReader.Change> each,
                     Consumer<Throwable> failed) {
    var running = reader.watch(KeyRange.prefix(RegistryKeys.prefix(kind)), revision)
        .viaMat(KillSwitches.single(), Keep.right())
        .toMat(Sink.foreach(each::accept), Keep.both())
        .run(system);
    switches.add(running.first());
    running.second().whenComplete((done, error) -> {
      if (!stopped) { // a watch cut by stop() is no news to anyone
        failed.accept(error != null ? error : new IllegalStateException("the watch of " + kind.resource() + " ended"));
      }
    });
  }

  public void stop() {
    stopped = true;
    switches.forEach(UniqueKillSwitch::shutdown);
    switches.clear();
  }
}
