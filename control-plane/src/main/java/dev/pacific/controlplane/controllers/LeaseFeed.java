package dev.pacific.controlplane.controllers;

import dev.pacific.controlplane.quorum.QuorumWatch;
import dev.pacific.controlplane.quorum.WatchEvent;
import dev.pacific.controlplane.quorum.store.KeyRange;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Follows the existence of keys under a raw quorum prefix (the hosts' lease keys, which are not
 * registry objects): a put says the key exists, a deletion (lease expiry or revoke) that it is gone.
 * Cut when the controller stops.
 */
final class LeaseFeed {

  private final ActorSystem<?> system;
  private final QuorumWatch watch;
  private UniqueKillSwitch running;
  private volatile boolean stopped;

  LeaseFeed(ActorSystem<?> system, QuorumWatch watch) {
    this.system = system;
    this.watch = watch;
  }

  void follow(String prefix, long after, BiConsumer<byte[], Boolean> each, Consumer<Throwable> failed) {
    var r = watch.watch(KeyRange.prefix(prefix.getBytes(StandardCharsets.UTF_8)), after)
        .viaMat(KillSwitches.single(), Keep.right())
        .toMat(Sink.foreach(e -> each.accept(e.kv().key(), e.type() != WatchEvent.Type.DELETED)), Keep.both())
        .run(system);
    running = r.first();
    r.second().whenComplete((done, error) -> {
      if (!stopped) {
        failed.accept(error != null ? error : new IllegalStateException("the watch of " + prefix + " ended"));
      }
    });
  }

  void stop() {
    stopped = true;
    if (running != null) {
      running.shutdown();
    }
  }
}
