package dev.pacific.host.spherelet;

import dev.pacific.api.PodStatus;
import dev.pacific.wire.HostGatewayProtocol;
import dev.pacific.wire.HostGatewayProtocol.ConfirmPodStopped;
import dev.pacific.wire.HostGatewayProtocol.PodGone;
import dev.pacific.wire.HostGatewayProtocol.PodKey;
import dev.pacific.wire.HostGatewayProtocol.ReportPodStatus;
import dev.pacific.wire.HostGatewayProtocol.StatusReply;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Sends pods' statuses to the control plane as the kubelet's status manager does: the latest
 * status of each pod, at most one report in flight per pod (so reports of one pod never overtake
 * each other, whichever gateway carries them), retried until answered, and statuses that changed
 * meanwhile folded into the next report. A stopped terminating pod is confirmed the same way.
 * An answer that the pod is gone is passed to the reconciler, which stops what still runs.
 */
final class StatusReporter {

  sealed interface Command {}

  record Report(PodKey pod, PodStatus status) implements Command {}

  /** The terminating pod's processes are gone: confirm with its final status (until answered). */
  record ConfirmStopped(PodKey pod, PodStatus finalStatus) implements Command {}

  /** Nothing more to say about this pod (it is no longer bound here). */
  record Forget(String uid) implements Command {}

  record FromSession(SessionEvent event) implements Command {}

  /** Told to the reconciler: no pod with this uid is bound to the host any more. */
  record Gone(String uid) {}

  private record Answered(String uid, long attempt, StatusReply reply, Throwable failure) implements Command {}

  private enum Retry implements Command { DUE }

  private static final class Pending {
    final PodKey pod;
    PodStatus status;
    boolean confirm;
    boolean dirty = true;
    long inFlight; // the attempt awaiting an answer, 0 if none

    Pending(PodKey pod, PodStatus status) {
      this.pod = pod;
      this.status = status;
    }
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final String host;
  private final SphereletSettings settings;
  private final ActorRef<Gone> gone;
  private final Map<String, Pending> pending = new HashMap<>();
  private ActorRef<HostGatewayProtocol.Request> gateway;
  private long attempts;

  private StatusReporter(ActorContext<Command> ctx, TimerScheduler<Command> timers, String host,
      SphereletSettings settings, ActorRef<Gone> gone) {
    this.ctx = ctx;
    this.timers = timers;
    this.host = host;
    this.settings = settings;
    this.gone = gone;
  }

  static Behavior<Command> create(String host, SphereletSettings settings, ActorRef<Gone> gone) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new StatusReporter(ctx, timers, host, settings, gone).behavior()));
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(Report.class, r -> {
          Pending p = pending.computeIfAbsent(r.pod().uid(), uid -> new Pending(r.pod(), r.status()));
          if (!p.confirm) {
            p.status = r.status();
            p.dirty = true;
            send(p);
          }
          return Behaviors.same();
        })
        .onMessage(ConfirmStopped.class, c -> {
          Pending p = pending.computeIfAbsent(c.pod().uid(), uid -> new Pending(c.pod(), c.finalStatus()));
          p.status = c.finalStatus();
          p.confirm = true;
          p.dirty = true;
          send(p);
          return Behaviors.same();
        })
        .onMessage(Forget.class, f -> {
          pending.remove(f.uid());
          return Behaviors.same();
        })
        .onMessage(FromSession.class, s -> {
          if (s.event() instanceof SessionEvent.Connected c) {
            gateway = c.gateway();
            sendAll();
          } else if (s.event() instanceof SessionEvent.Disconnected) {
            gateway = null;
          }
          return Behaviors.same();
        })
        .onMessage(Answered.class, this::onAnswered)
        .onMessageEquals(Retry.DUE, () -> {
          sendAll();
          return Behaviors.same();
        })
        .build();
  }

  private void sendAll() {
    pending.values().forEach(this::send);
  }

  private void send(Pending p) {
    if (gateway == null || p.inFlight != 0 || !p.dirty) {
      return;
    }
    long attempt = ++attempts;
    p.inFlight = attempt;
    p.dirty = false;
    String uid = p.pod.uid();
    PodStatus status = p.status;
    if (p.confirm) {
      ctx.ask(StatusReply.class, gateway, settings.askTimeout(), to -> new ConfirmPodStopped(host, p.pod, status, to),
          (reply, failure) -> new Answered(uid, attempt, reply, failure));
    } else {
      ctx.ask(StatusReply.class, gateway, settings.askTimeout(), to -> new ReportPodStatus(host, p.pod, status, to),
          (reply, failure) -> new Answered(uid, attempt, reply, failure));
    }
  }

  private Behavior<Command> onAnswered(Answered a) {
    Pending p = pending.get(a.uid());
    if (p == null || p.inFlight != a.attempt()) {
      return Behaviors.same();
    }
    p.inFlight = 0;
    if (a.failure() != null) {
      p.dirty = true; // send it again, on whichever gateway the host has by then
      timers.startSingleTimer(Retry.DUE, Retry.DUE, settings.statusRetry());
    } else if (a.reply() instanceof PodGone g) {
      pending.remove(a.uid());
      if (!p.confirm) {
        ctx.getLog().info("pod {}/{} ({}) is gone from the control plane ({}); stopping it", p.pod.namespace(),
            p.pod.name(), a.uid(), g.reason());
        gone.tell(new Gone(a.uid()));
      }
    } else if (!p.dirty) {
      pending.remove(a.uid()); // said all there was to say; a later change starts afresh
    } else {
      send(p);
    }
    return Behaviors.same();
  }
}
