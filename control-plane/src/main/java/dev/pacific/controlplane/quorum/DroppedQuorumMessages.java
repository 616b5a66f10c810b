package dev.pacific.controlplane.quorum;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.actor.Dropped;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Says so when Artery drops quorum messages (a full send queue to a peer that reads too slowly, a
 * quarantined peer). Raft survives lost messages, but a follower whose leader's heartbeats are all
 * dropped while its own answers get through looks healthy to the leader and never learns the commit
 * index; dead-letter logging stops after ten, so without this the drops are silent. One line per
 * interval, with counts by reason and recipient.
 */
public final class DroppedQuorumMessages {

  private DroppedQuorumMessages() {}

  private enum Report { INSTANCE }

  public static Behavior<Object> create(Duration every) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      ctx.getSystem().eventStream().tell(new EventStream.Subscribe<>(Dropped.class, ctx.getSelf().narrow()));
      timers.startTimerWithFixedDelay(Report.INSTANCE, every);
      Map<String, Integer> counts = new TreeMap<>();
      return Behaviors.receive(Object.class)
          .onMessage(Dropped.class, d -> {
            if (d.message() instanceof QuorumWire) {
              counts.merge(d.reason() + " -> " + d.recipient().path(), 1, Integer::sum);
            }
            return Behaviors.same();
          })
          .onMessageEquals(Report.INSTANCE, () -> {
            if (!counts.isEmpty()) {
              ctx.getLog().warn("remoting dropped quorum messages in the last {}: {}", every, counts);
              counts.clear();
            }
            return Behaviors.same();
          })
          .build();
    }));
  }
}
