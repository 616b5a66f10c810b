package dev.pacific.host.spherelet;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The spherelet proper, the unit its supervisor restarts: a {@link GatewaySession} (the link to
 * the control plane and the lease) and a {@link Reconciler} (the pods), with the session's news
 * passed on to the reconciler. Everything it needs that must outlive a restart is in the
 * {@link HostKit}.
 */
public final class SphereletCore {

  private SphereletCore() {}

  /**
   * Typed {@code Void} outside: only its own session speaks to it (its event type is package
   * private), so nothing outside can send it anything.
   */
  public static Behavior<Void> create(HostKit kit) {
    return Behaviors.<SessionEvent>setup(ctx -> {
      ActorRef<GatewaySession.Command> session = ctx.spawn(GatewaySession.create(kit, ctx.getSelf()), "session");
      ActorRef<Reconciler.Command> pods = ctx.spawn(Reconciler.create(kit, session), "pods");
      // Watched and not handled: a child that fails takes the core down with it (a death pact),
      // and the supervisor restarts the whole spherelet, which then adopts its pods.
      ctx.watch(session);
      ctx.watch(pods);
      return Behaviors.receive(SessionEvent.class)
          .onAnyMessage(event -> {
            pods.tell(new Reconciler.FromSession(event));
            return Behaviors.same();
          })
          .build();
    }).unsafeCast();
  }
}
