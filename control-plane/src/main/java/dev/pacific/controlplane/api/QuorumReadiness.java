package dev.pacific.controlplane.api;

import dev.pacific.controlplane.quorum.QuorumMember;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Ready while this member sees a quorum leader (CONTRACT.md {@code /readyz}). The member's status
 * is polled into a field, so a probe never waits on the quorum actor.
 */
public final class QuorumReadiness implements Readiness {

  private final AtomicReference<QuorumMember.Leadership> latest = new AtomicReference<>();

  private QuorumReadiness() {}

  private sealed interface Poll {}

  private enum Tick implements Poll { INSTANCE }

  private record Got(QuorumMember.Leadership leadership) implements Poll {}

  /** Starts polling {@code member} every {@code interval} from a child of {@code ctx}. */
  public static QuorumReadiness follow(ActorContext<?> ctx, ActorRef<QuorumMember.Command> member,
      Duration interval) {
    QuorumReadiness readiness = new QuorumReadiness();
    ctx.spawn(Behaviors.<Poll>withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, interval);
      return Behaviors.setup(self -> {
        ActorRef<QuorumMember.Leadership> replies = self.messageAdapter(QuorumMember.Leadership.class, Got::new);
        return Behaviors.receive(Poll.class)
            .onMessageEquals(Tick.INSTANCE, () -> {
              member.tell(new QuorumMember.WhoLeads(replies));
              return Behaviors.same();
            })
            .onMessage(Got.class, got -> {
              readiness.latest.set(got.leadership());
              return Behaviors.same();
            })
            .build();
      });
    }), "quorum-readiness");
    return readiness;
  }

  @Override
  public Optional<String> notReadyBecause() {
    QuorumMember.Leadership s = latest.get();
    if (s == null) {
      return Optional.of("the quorum member has not reported yet");
    }
    if (s.leader() == null) {
      return Optional.of("this member sees no quorum leader (term " + s.term() + ")");
    }
    return Optional.empty();
  }
}
