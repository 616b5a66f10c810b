package dev.pacific.host.spherelet;

import dev.pacific.api.Node;
import dev.pacific.wire.HostGatewayProtocol;
import dev.pacific.wire.HostGatewayProtocol.LeaseLost;
import dev.pacific.wire.HostGatewayProtocol.LeaseRenewed;
import dev.pacific.wire.HostGatewayProtocol.Register;
import dev.pacific.wire.HostGatewayProtocol.RegisterRefused;
import dev.pacific.wire.HostGatewayProtocol.RegisterReply;
import dev.pacific.wire.HostGatewayProtocol.Registered;
import dev.pacific.wire.HostGatewayProtocol.RenewLease;
import dev.pacific.wire.HostGatewayProtocol.RenewReply;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * The host's link to the control plane: finds a gateway through the Receptionist, registers the
 * Node, renews the lease well inside its TTL and keeps the {@link LeaseFence} (and so the
 * watchdog) up to date after each renewal. A gateway that dies or does not answer in time is
 * replaced by another under the same lease; a lease that is lost, or not renewed in time, fences
 * the host (every pod stops) and the host registers again.
 *
 * <p>Until the control plane runs a gateway there is none to find: the session says so once and
 * keeps looking at its longest back-off, and the host's start-up does not wait for it.
 */
final class GatewaySession {

  sealed interface Command {}

  /** The gateway seems broken to another part of the spherelet (its pod stream never started). */
  record Suspect(ActorRef<HostGatewayProtocol.Request> gateway, String reason) implements Command {}

  private record Listed(Receptionist.Listing listing) implements Command {}

  private record RegisterAnswered(ActorRef<HostGatewayProtocol.Request> gateway, long sentNanos, RegisterReply reply,
      Throwable failure) implements Command {}

  private record RenewAnswered(ActorRef<HostGatewayProtocol.Request> gateway, long sentNanos, RenewReply reply,
      Throwable failure) implements Command {}

  private record GatewayDied(ActorRef<HostGatewayProtocol.Request> gateway) implements Command {}

  /** The renewal sent to {@code gateway} at {@code sentNanos} is unanswered after the ask time-out. */
  private record RenewalUnanswered(ActorRef<HostGatewayProtocol.Request> gateway, long sentNanos)
      implements Command {}

  private enum Tick implements Command { RENEW, EXPIRE, RETRY }

  private record Lease(long id, Duration ttl) {}

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final Node node;
  private final SphereletSettings settings;
  private final LeaseFence fence;
  private final ActorRef<SessionEvent> listener;
  private final GatewayChoice choice;
  private final String bootId = UUID.randomUUID().toString();
  private ActorRef<HostGatewayProtocol.Request> gateway;
  private Lease lease;
  /** Set after moving to another gateway under the same lease, until it has renewed once. */
  private boolean announceOnRenewal;
  /** When the latest answered renewal (or registration) was sent: a late answer to an earlier one adds nothing. */
  private long answeredSentNanos;
  private Duration retryDelay;
  private boolean saidLooking;

  private GatewaySession(ActorContext<Command> ctx, TimerScheduler<Command> timers, HostKit kit,
      ActorRef<SessionEvent> listener) {
    this.ctx = ctx;
    this.timers = timers;
    this.node = kit.node();
    this.settings = kit.settings();
    this.fence = new LeaseFence(kit.watchdog());
    this.listener = listener;
    this.choice = new GatewayChoice(settings.suspectFor(), new Random());
    this.retryDelay = settings.retryMin();
  }

  static Behavior<Command> create(HostKit kit, ActorRef<SessionEvent> listener) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      var session = new GatewaySession(ctx, timers, kit, listener);
      ctx.getSystem().receptionist().tell(Receptionist.subscribe(HostGatewayProtocol.SERVICE_KEY,
          ctx.messageAdapter(Receptionist.Listing.class, Listed::new)));
      return session.behavior();
    }));
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(Listed.class, l -> {
          choice.listed(l.listing().getServiceInstances(HostGatewayProtocol.SERVICE_KEY));
          connect(false);
          return Behaviors.same();
        })
        .onMessage(RegisterAnswered.class, this::onRegisterAnswered)
        .onMessage(RenewAnswered.class, this::onRenewAnswered)
        .onMessage(RenewalUnanswered.class, u -> u.gateway().equals(gateway) && answeredSentNanos < u.sentNanos()
            ? failed(u.gateway(), "no answer to a lease renewal within " + settings.askTimeout().toMillis() + " ms")
            : Behaviors.same())
        .onMessage(GatewayDied.class, d -> failed(d.gateway(), "its actor stopped or its member left"))
        .onMessage(Suspect.class, s -> failed(s.gateway(), s.reason()))
        .onMessageEquals(Tick.RENEW, this::renew)
        .onMessageEquals(Tick.EXPIRE, () -> fenced("the lease was not renewed within its TTL"))
        .onMessageEquals(Tick.RETRY, () -> {
          if (gateway == null) {
            connect(true);
          } else if (lease == null) {
            register();
          }
          return Behaviors.same();
        })
        .build();
  }

  /**
   * Picks a gateway when there is none and carries on under the lease if there is one. Only
   * gateways that have not failed lately, unless {@code anyKnown} (a back-off has passed): a dead
   * gateway stays listed until its member leaves, and must not be retried in a tight loop.
   */
  private void connect(boolean anyKnown) {
    if (gateway != null) {
      return;
    }
    long now = System.nanoTime();
    Optional<ActorRef<HostGatewayProtocol.Request>> next = anyKnown ? choice.pickAny(now) : choice.pickHealthy(now);
    if (next.isEmpty()) {
      if (choice.knowsAny()) {
        timers.startSingleTimer(Tick.RETRY, Tick.RETRY, backOff());
      } else {
        lookingQuietly("no control-plane gateway is registered yet");
      }
      return;
    }
    gateway = next.get();
    ctx.watchWith(gateway, new GatewayDied(gateway));
    if (lease == null) {
      register();
    } else {
      announceOnRenewal = true;
      renew();
    }
  }

  private void register() {
    var to = gateway;
    long sent = System.nanoTime();
    ctx.ask(RegisterReply.class, to, settings.askTimeout(), replyTo -> new Register(node, bootId, replyTo),
        (reply, failure) -> new RegisterAnswered(to, sent, reply, failure));
  }

  private Behavior<Command> onRegisterAnswered(RegisterAnswered a) {
    if (!a.gateway().equals(gateway) || lease != null) {
      return Behaviors.same(); // an answer from a gateway already left, or a late duplicate
    }
    if (a.failure() != null) {
      return failed(a.gateway(), "no answer to register within " + settings.askTimeout().toMillis() + " ms");
    }
    if (a.reply() instanceof Registered r) {
      lease = new Lease(r.leaseId(), Duration.ofMillis(r.ttlMillis()));
      saidLooking = false;
      retryDelay = settings.retryMin();
      ctx.getLog().info("registered {} with gateway {}: lease {} (TTL {} ms)", node.metadata().name(), gateway,
          r.leaseId(), r.ttlMillis());
      held(a.sentNanos());
      listener.tell(new SessionEvent.Connected(gateway, true));
    } else if (a.reply() instanceof RegisterRefused r) {
      lookingQuietly("the gateway refused to register the host: " + r.reason());
      timers.startSingleTimer(Tick.RETRY, Tick.RETRY, max(Duration.ofMillis(r.retryAfterMillis()), backOff()));
    }
    return Behaviors.same();
  }

  private Behavior<Command> renew() {
    if (gateway == null || lease == null) {
      return Behaviors.same();
    }
    var to = gateway;
    long id = lease.id();
    long sent = System.nanoTime();
    // The gateway that has not answered within the ask time-out is left for another, but its answer is awaited a
    // whole TTL: validity runs from when a renewal was sent, so an answer that comes late under load still holds
    // the lease, and is often the one that keeps the pods running while the next gateway is tried.
    ctx.ask(RenewReply.class, to, lease.ttl(), replyTo -> new RenewLease(node.metadata().name(), id, replyTo),
        (reply, failure) -> new RenewAnswered(to, sent, reply, failure));
    timers.startSingleTimer(RenewalUnanswered.class, new RenewalUnanswered(to, sent), settings.askTimeout());
    return Behaviors.same();
  }

  private Behavior<Command> onRenewAnswered(RenewAnswered a) {
    if (lease == null) {
      return Behaviors.same();
    }
    if (a.failure() != null) {
      return a.gateway().equals(gateway)
          ? failed(a.gateway(), "no answer to a lease renewal within " + lease.ttl().toMillis() + " ms")
          : Behaviors.same();
    }
    if (a.reply() instanceof LeaseRenewed r && r.leaseId() == lease.id()) {
      if (a.sentNanos() <= answeredSentNanos) {
        return Behaviors.same(); // a later renewal was answered already: this one holds the lease for less
      }
      lease = new Lease(r.leaseId(), Duration.ofMillis(r.ttlMillis()));
      held(a.sentNanos());
      if (!a.gateway().equals(gateway)) {
        ctx.getLog().info("a late answer from gateway {} renewed lease {}", a.gateway(), lease.id());
        return Behaviors.same();
      }
      retryDelay = settings.retryMin();
      if (announceOnRenewal) {
        announceOnRenewal = false;
        ctx.getLog().info("moved to gateway {} under lease {}", gateway, lease.id());
        listener.tell(new SessionEvent.Connected(gateway, false));
      }
    } else if (a.reply() instanceof LeaseLost l && l.leaseId() == lease.id()) {
      return fenced("the control plane says lease " + l.leaseId() + " is lost: " + l.reason());
    }
    return Behaviors.same();
  }

  /** After an answered registration or renewal: the pods may run until the fence time, renew before. */
  private void held(long sentNanos) {
    answeredSentNanos = sentNanos;
    long now = System.nanoTime();
    Duration validFor = LeaseFence.validFor(lease.ttl(), settings.fenceMargin(), sentNanos, now);
    if (!validFor.isNegative() && !validFor.isZero()) {
      fence.holdFor(validFor);
      timers.startSingleTimer(Tick.EXPIRE, Tick.EXPIRE, validFor);
    }
    timers.startSingleTimer(Tick.RENEW, Tick.RENEW,
        LeaseFence.renewAfter(lease.ttl(), settings.renewFraction(), sentNanos, now));
  }

  private Behavior<Command> fenced(String reason) {
    if (lease == null) {
      return Behaviors.same();
    }
    ctx.getLog().warn("fencing {}: {}; stopping every pod and registering again", node.metadata().name(), reason);
    fence.drop();
    lease = null;
    announceOnRenewal = false;
    timers.cancel(Tick.RENEW);
    timers.cancel(Tick.EXPIRE);
    timers.cancel(RenewalUnanswered.class);
    listener.tell(new SessionEvent.Fenced(reason));
    if (gateway != null) {
      register();
    } else {
      connect(false);
    }
    return Behaviors.same();
  }

  /** The current gateway failed: avoid it for a while and carry on with another, under the same lease. */
  private Behavior<Command> failed(ActorRef<HostGatewayProtocol.Request> failedGateway, String reason) {
    if (!failedGateway.equals(gateway)) {
      return Behaviors.same();
    }
    choice.suspect(failedGateway, System.nanoTime());
    ctx.unwatch(failedGateway);
    gateway = null;
    timers.cancel(Tick.RENEW);
    if (lease != null) {
      ctx.getLog().info("gateway {} failed ({}); moving to another", failedGateway, reason);
      listener.tell(new SessionEvent.Disconnected());
    } else {
      lookingQuietly("gateway " + failedGateway + " failed: " + reason);
    }
    connect(false);
    return Behaviors.same();
  }

  /** Says once why the host is not registered; later attempts only at debug level. */
  private void lookingQuietly(String why) {
    if (!saidLooking) {
      saidLooking = true;
      ctx.getLog().info("{} is not registered with the control plane yet ({}); looking for a gateway, "
          + "retrying every {} ms at most; pods start once it is registered", node.metadata().name(), why,
          settings.retryMax().toMillis());
    } else {
      ctx.getLog().debug("still not registered: {}", why);
    }
  }

  private Duration backOff() {
    Duration now = retryDelay;
    retryDelay = min(retryDelay.multipliedBy(2), settings.retryMax());
    return now;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
