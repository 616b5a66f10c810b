package dev.pacific.controlplane.lb;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The L4 load balancer in front of the API servers. This actor owns the backend table: which
 * backends exist (told by discovery), how each answered its last probe (active check every
 * {@code probe-interval}), which refused a connection (passive check) and how many connections
 * each carries. The bytes themselves flow through {@link TcpProxy} streams, which ask this actor
 * for a backend per client connection and report back when it opens and closes.
 */
public final class LoadBalancer extends AbstractBehavior<LoadBalancer.Command> {

  public sealed interface Command {}

  /** The backends to balance over, replacing the previous set. */
  public record SetBackends(Set<InetSocketAddress> backends) implements Command {}

  /** Choose a backend for a new client connection, other than those already tried. */
  public record Pick(Set<InetSocketAddress> exclude, ActorRef<Optional<InetSocketAddress>> replyTo)
      implements Command {}

  /** Connecting to the backend failed: take it out of rotation until a probe says otherwise. */
  public record ConnectFailed(InetSocketAddress backend) implements Command {}

  public record Opened(InetSocketAddress backend) implements Command {}

  public record Closed(InetSocketAddress backend) implements Command {}

  public record GetStats(ActorRef<Stats> replyTo) implements Command {}

  /** One backend as the balancer sees it: last health, open connections, connections ever carried. */
  public record BackendStats(Health health, int open, long served) {}

  public record Stats(int listenPort, Map<InetSocketAddress, BackendStats> backends) {
    public int openConnections() {
      return backends.values().stream().mapToInt(BackendStats::open).sum();
    }
  }

  private record ProbeTick() implements Command {}

  private record Probed(InetSocketAddress backend, Health health) implements Command {}

  private record Listening(int port) implements Command {}

  private record ListenFailed(Throwable cause) implements Command {}

  private final BackendTable table = new BackendTable();
  private final HealthProbe probe;
  private final CompletableFuture<Integer> bound;
  private int listenPort = -1;

  /** @param bound completes with the port the balancer listens on, or fails when it cannot bind */
  public static Behavior<Command> create(LbSettings settings, CompletableFuture<Integer> bound) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new LoadBalancer(ctx, timers, settings, bound)));
  }

  private LoadBalancer(ActorContext<Command> ctx, TimerScheduler<Command> timers, LbSettings settings,
      CompletableFuture<Integer> bound) {
    super(ctx);
    this.bound = bound;
    this.probe = new HealthProbe(ctx.getSystem(), settings);
    timers.startTimerWithFixedDelay(new ProbeTick(), settings.probeInterval());
    ctx.pipeToSelf(new TcpProxy(ctx.getSystem(), ctx.getSelf(), settings).listen(),
        (port, failure) -> failure == null ? new Listening(port) : new ListenFailed(failure));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(SetBackends.class, this::onSetBackends)
        .onMessage(Pick.class, this::onPick)
        .onMessage(ConnectFailed.class, m -> onHealth(m.backend(), Health.DOWN))
        .onMessage(Opened.class, m -> {
          table.opened(m.backend());
          return this;
        })
        .onMessage(Closed.class, m -> {
          table.closed(m.backend());
          return this;
        })
        .onMessage(ProbeTick.class, m -> onProbeTick())
        .onMessage(Probed.class, this::onProbed)
        .onMessage(GetStats.class, this::onGetStats)
        .onMessage(Listening.class, this::onListening)
        .onMessage(ListenFailed.class, this::onListenFailed)
        .build();
  }

  private Behavior<Command> onSetBackends(SetBackends m) {
    if (!m.backends().equals(table.entries().keySet())) {
      getContext().getLog().info("backends: {}", m.backends());
    }
    table.setBackends(m.backends());
    return onProbeTick();
  }

  private Behavior<Command> onPick(Pick m) {
    m.replyTo().tell(table.pick(m.exclude()));
    return this;
  }

  private Behavior<Command> onHealth(InetSocketAddress backend, Health health) {
    BackendTable.Entry e = table.entries().get(backend);
    if (e != null && e.health != health) {
      getContext().getLog().info("backend {} is now {}", backend, health);
    }
    table.health(backend, health);
    return this;
  }

  private Behavior<Command> onProbeTick() {
    table.entries().forEach((backend, entry) -> {
      if (!entry.probing) {
        entry.probing = true;
        getContext().pipeToSelf(probe.probe(backend),
            (health, failure) -> new Probed(backend, failure == null ? health : Health.DOWN));
      }
    });
    return this;
  }

  private Behavior<Command> onProbed(Probed m) {
    BackendTable.Entry e = table.entries().get(m.backend());
    if (e != null) {
      e.probing = false;
    }
    return onHealth(m.backend(), m.health());
  }

  private Behavior<Command> onGetStats(GetStats m) {
    Map<InetSocketAddress, BackendStats> stats = new LinkedHashMap<>();
    table.entries().forEach((b, e) -> stats.put(b, new BackendStats(e.health, e.open, e.served)));
    m.replyTo().tell(new Stats(listenPort, stats));
    return this;
  }

  private Behavior<Command> onListening(Listening m) {
    listenPort = m.port();
    getContext().getLog().info("load balancer listening on port {}", m.port());
    bound.complete(m.port());
    return this;
  }

  private Behavior<Command> onListenFailed(ListenFailed m) {
    getContext().getLog().error("load balancer cannot listen: {}", m.cause().toString());
    bound.completeExceptionally(m.cause());
    return Behaviors.stopped();
  }
}
