package dev.pacific.controlplane.api;

import dev.pacific.controlplane.quorum.QuorumMember;
import dev.pacific.controlplane.quorum.QuorumStatus;
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

  private final AtomicReference<QuorumStatus> latest = new AtomicReference<>();

  private QuorumReadiness() {}

  private sealed interface Poll {}

  private enum Tick implements Poll { INSTANCE }

  private record Got(QuorumStatus status) implements Poll {}

  /** Starts polling {@code member} every {@code interval} from a child of {@code ctx}. */
  public static QuorumReadiness follow(ActorContext<?> ctx, ActorRef<QuorumMember.Command> member,
      Duration interval) {
    QuorumReadiness readiness = new QuorumReadiness();
    ctx.spawn(Behaviors.<Poll>withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, interval);
      return Behaviors.setup(self -> {
        ActorRef<QuorumStatus> replies = self.messageAdapter(QuorumStatus.class, Got::new);
        return Behaviors.receive(Poll.class)
            .onMessageEquals(Tick.INSTANCE, () -> {
              member.tell(new QuorumMember.GetStatus(replies));
              return Behaviors.same();
            })
            .onMessage(Got.class, got -> {
              readiness.latest.set(got.status());
              return Behaviors.same();
            })
            .build();
      });
    }), "quorum-readiness");
    return readiness;
  }

  /** The last status this member reported, if any. */
  public Optional<QuorumStatus> latest() {
    return Optional.ofNullable(latest.get());
  }

  @Override
  public Optional<String> notReadyBecause() {
    QuorumStatus s = latest.get();
    if (s == null) {
      return Optional.of("the quorum member has not reported yet");
    }
    if (s.leader() == null) {
      return Optional.of("this member sees no quorum leader (term " + s.term() + ")");
    }
    return Optional.empty();
  }
}
