package dev.pacific.controlplane.election;

import dev.pacific.controlplane.quorum.QuorumKv;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Runs {@code leading} on exactly one control-plane member at a time, elected through a quorum
 * lease as Kubernetes' leader election uses a Lease object (ARCHITECTURE.md: singletons wait for
 * downing, a quorum lease does not): the holder writes {@code leases/elections/<name>} attached to
 * a lease of {@code ttl}, only if the key does not exist, and keeps the lease alive. When the
 * holder dies the quorum expires its lease, the key goes, and another candidate takes it.
 *
 * <p>Fencing: the leader stops its child once {@link ElectionSettings#fence()} has passed since
 * it sent its last successful renewal, before the quorum can expire the lease (expiry is measured
 * from when the leader applied the renewal, which is later). A lost lease stops it at once.
 */
public final class LeaseElection {

  public sealed interface Command {}

  /** Who holds the election, as this member last saw it. */
  public record WhoLeads(ActorRef<Holder> replyTo) implements Command {}

  public record Holder(Optional<String> member, boolean me) {}

  private record Tick() implements Command {}

  private record Observed(Optional<String> holder, long lease) implements Command {}

  private record Acquired(long lease, long sentAt) implements Command {}

  private record Renewed(long sentAt) implements Command {}

  private record Lost(String why) implements Command {}

  private record Failed(String why) implements Command {}

  private static final String PREFIX = "leases/elections/";

  private final String name;
  private final String me;
  private final QuorumKv kv;
  private final ElectionSettings settings;
  private final Behavior<?> leading;
  private final ActorContext<Command> ctx;
  private Optional<String> holder = Optional.empty();
  private long lease;
  private long lastRenewalSent;
  private boolean busy;
  private ActorRef<?> child;
  private int terms;

  private LeaseElection(String name, String me, QuorumKv kv, ElectionSettings settings, Behavior<?> leading,
      ActorContext<Command> ctx) {
    this.name = name;
    this.me = me;
    this.kv = kv;
    this.settings = settings;
    this.leading = leading;
    this.ctx = ctx;
  }

  /** Contends for election {@code name} as member {@code me}; runs {@code leading} as a child while it leads. */
  public static Behavior<Command> create(String name, String me, QuorumKv kv, ElectionSettings settings,
      Behavior<?> leading) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(new Tick(), settings.renewEvery());
      ctx.getSelf().tell(new Tick());
      return new LeaseElection(name, me, kv, settings, leading, ctx).behavior();
    }));
  }

  public static byte[] key(String name) {
    return (PREFIX + name).getBytes(StandardCharsets.UTF_8);
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(Tick.class, t -> onTick())
        .onMessage(Observed.class, this::onObserved)
        .onMessage(Acquired.class, this::onAcquired)
        .onMessage(Renewed.class, r -> {
          busy = false;
          lastRenewalSent = Math.max(lastRenewalSent, r.sentAt());
          return Behaviors.same();
        })
        .onMessage(Lost.class, l -> {
          busy = false;
          stepDown(l.why());
          return Behaviors.same();
        })
        .onMessage(Failed.class, f -> {
          busy = false;
          ctx.getLog().debug("election {}: {}", name, f.why());
          return Behaviors.same();
        })
        .onMessage(WhoLeads.class, w -> {
          w.replyTo().tell(new Holder(child != null ? Optional.of(me) : holder, child != null));
          return Behaviors.same();
        })
        .build();
  }

  private boolean leading() {
    return child != null;
  }

  private Behavior<Command> onTick() {
    if (leading() && System.nanoTime() - lastRenewalSent > settings.fence().toNanos()) {
      stepDown("no renewal for " + settings.fence().toMillis() + " ms");
    }
    if (busy) {
      return Behaviors.same();
    }
    busy = true;
    if (leading()) {
      long sentAt = System.nanoTime();
      ctx.pipeToSelf(timed(kv.keepAlive(lease)), (ok, error) -> error == null ? new Renewed(sentAt)
          : isLeaseGone(error) ? new Lost("the lease is gone") : new Failed("renewal failed: " + error));
    } else {
      ctx.pipeToSelf(timed(kv.get(key(name))), (kv, error) -> error != null ? new Failed("read failed: " + error)
          : kv.map(v -> observed(new String(v.value(), StandardCharsets.UTF_8))).orElse(new Observed(Optional.empty(), 0)));
    }
    return Behaviors.same();
  }

  /** The key holds {@code "<member> <lease id>"}. */
  private static Observed observed(String value) {
    int space = value.lastIndexOf(' ');
    return new Observed(Optional.of(value.substring(0, space)), Long.parseLong(value.substring(space + 1)));
  }

  private Behavior<Command> onObserved(Observed o) {
    holder = o.holder();
    if (o.holder().isEmpty()) {
      acquire();
    } else if (o.holder().get().equals(me)) {
      // A previous incarnation of this member held it; nobody else can renew that lease: revoke it and run again.
      ctx.pipeToSelf(timed(kv.revoke(o.lease())), (r, e) -> new Failed("revoked the lease of my previous run"));
    } else {
      busy = false;
    }
    return Behaviors.same();
  }

  private void acquire() {
    long sentAt = System.nanoTime();
    long id = QuorumKv.newLeaseId();
    byte[] value = (me + " " + id).getBytes(StandardCharsets.UTF_8);
    CompletionStage<Boolean> won = kv.grant(id, settings.ttl().toMillis())
        .thenCompose(l -> kv.put(key(name), value, OptionalLong.of(0), id))
        .thenCompose(outcome -> outcome instanceof QuorumKv.Outcome.Written ? java.util.concurrent.CompletableFuture
            .completedFuture(true) : kv.revoke(id).thenApply(r -> false));
    ctx.pipeToSelf(timed(won), (ok, error) -> error != null ? new Failed("acquire failed: " + error)
        : ok ? new Acquired(id, sentAt) : new Failed("another member took it first"));
  }

  private Behavior<Command> onAcquired(Acquired a) {
    busy = false;
    lease = a.lease();
    lastRenewalSent = a.sentAt();
    holder = Optional.of(me);
    child = ctx.spawn(leading, "leading-" + (++terms));
    ctx.getLog().info("election {}: {} leads", name, me);
    return Behaviors.same();
  }

  private void stepDown(String why) {
    if (child != null) {
      ctx.getLog().warn("election {}: {} steps down: {}", name, me, why);
      ctx.stop(child);
      child = null;
    }
    holder = Optional.empty();
  }

  private <T> CompletionStage<T> timed(CompletionStage<T> stage) {
    return stage.toCompletableFuture().orTimeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private static boolean isLeaseGone(Throwable error) {
    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
    return cause instanceof QuorumKv.Refused r
        && r.reason() == dev.pacific.controlplane.quorum.store.KvResult.Reason.LEASE_NOT_FOUND;
  }
}
