package dev.pacific.controlplane.quorum;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.pacific.controlplane.quorum.raft.Entry;
import dev.pacific.controlplane.quorum.raft.Snapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * Three quorum members, each in its own ActorSystem named "pacific" with real
 * Artery on 127.0.0.1 and {@code provider = remote}: no Pekko cluster, peers by
 * configuration only, as in production. Members can be stopped and started again.
 */
final class TestQuorum implements AutoCloseable {

  /** A {@link MemoryKv} that counts snapshots installed from a leader. */
  static final class CountingKv implements StateMachine {
    final MemoryKv kv = new MemoryKv();
    final AtomicInteger restores = new AtomicInteger();

    @Override public long appliedIndex() {
      return kv.appliedIndex();
    }

    @Override public List<byte[]> applyBatch(List<Entry> entries) {
      return kv.applyBatch(entries);
    }

    @Override public byte[] query(byte[] query) {
      return kv.query(query);
    }

    @Override public byte[] snapshot() {
      return kv.snapshot();
    }

    @Override public void restore(Snapshot snapshot) {
      restores.incrementAndGet();
      kv.restore(snapshot);
    }

    @Override public String stateHash() {
      return kv.stateHash();
    }
  }

  /**
   * A running member: over {@link MemoryLog} and {@link CountingKv}, or (built with
   * {@link #onLevelDb}) over the real {@link QuorumStorage}, whose {@code log} and {@code kv} are null.
   */
  record Member(ActorTestKit kit, ActorRef<QuorumMember.Command> ref, MemoryLog log, CountingKv kv,
                QuorumStorage storage) {

    StateMachine machine() {
      return storage != null ? storage.stateMachine() : kv;
    }
  }

  static final List<String> NAMES = List.of("cp-1", "cp-2", "cp-3");

  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final Map<String, Member> running = new LinkedHashMap<>();
  private final long snapshotEvery;
  private Path dataRoot;
  private MonotonicClock clock = MonotonicClock.SYSTEM;
  private String extraConfig = "";

  TestQuorum(long snapshotEvery) {
    this.snapshotEvery = snapshotEvery;
    NAMES.forEach(n -> ports.put(n, freePort()));
  }

  /** Members over memory storage with {@code extraConfig} (HOCON) on top of the test settings. */
  TestQuorum(long snapshotEvery, String extraConfig) {
    this(snapshotEvery);
    this.extraConfig = extraConfig;
  }

  /** Members over LevelDB in a temporary directory (kept across a member's restarts), on {@code clock}. */
  static TestQuorum onLevelDb(MonotonicClock clock, String extraConfig) {
    return onLevelDb(clock, extraConfig, 10_000);
  }

  /** As {@link #onLevelDb(MonotonicClock, String)}, compacting the log every {@code snapshotEvery} entries. */
  static TestQuorum onLevelDb(MonotonicClock clock, String extraConfig, long snapshotEvery) {
    TestQuorum q = new TestQuorum(snapshotEvery);
    try {
      q.dataRoot = Files.createTempDirectory("pacific-test-quorum-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    q.clock = clock;
    q.extraConfig = extraConfig;
    return q;
  }

  /** Starts (or restarts, on its data) a member over LevelDB. */
  Member startOnLevelDb(String name) {
    return startOnLevelDb(name, java.util.function.UnaryOperator.identity());
  }

  /** As {@link #startOnLevelDb(String)}, the member applying through {@code wrap} of its state machine. */
  Member startOnLevelDb(String name, java.util.function.UnaryOperator<StateMachine> wrap) {
    ActorTestKit kit = ActorTestKit.create("pacific", config(name).withFallback(ConfigFactory.load()));
    Config config = kit.system().settings().config();
    QuorumStorage storage = QuorumStorage.open(dataRoot.resolve(name), name, config, clock);
    QuorumSettings settings = QuorumSettings.fromConfig(config, name).withSnapshotEvery(snapshotEvery);
    ActorRef<QuorumMember.Command> ref = kit.spawn(QuorumMember.create(settings, storage.log(),
        wrap.apply(storage.stateMachine())), "quorum");
    kit.spawn(QuorumBulk.create(ref), "quorum-bulk");
    Member m = new Member(kit, ref, null, null, storage);
    running.put(name, m);
    return m;
  }

  QuorumKv kv(String via) {
    Member m = running.get(via);
    return new QuorumKv(new QuorumClient(m.kit().system(), m.ref(), KvStateMachine.SESSIONS,
        QuorumClient.Settings.fromConfig(m.kit().system().settings().config())));
  }

  TestQuorum startAll() {
    if (dataRoot != null) {
      NAMES.forEach(this::startOnLevelDb);
    } else {
      NAMES.forEach(n -> start(n, new MemoryLog(), new CountingKv()));
    }
    return this;
  }

  Member start(String name, MemoryLog log, CountingKv kv) {
    return start(name, log, kv, Duration.ZERO);
  }

  /**
   * As {@link #start(String, MemoryLog, CountingKv)}, with the member's actors spawned {@code late} after its
   * ActorSystem (and remoting) came up, as a restarting member opens its storage first: its peers' messages
   * arrive before there is anyone to take them.
   */
  Member start(String name, MemoryLog log, CountingKv kv, Duration late) {
    ActorTestKit kit = ActorTestKit.create("pacific", config(name).withFallback(ConfigFactory.load()));
    try {
      Thread.sleep(late.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    QuorumSettings settings = QuorumSettings.fromConfig(kit.system().settings().config(), name)
        .withSnapshotEvery(snapshotEvery);
    ActorRef<QuorumMember.Command> ref = kit.spawn(QuorumMember.create(settings, log, kv), "quorum");
    kit.spawn(QuorumBulk.create(ref), "quorum-bulk");
    Member m = new Member(kit, ref, log, kv, null);
    running.put(name, m);
    return m;
  }

  private Config config(String name) {
    List<String> peers = new ArrayList<>();
    ports.forEach((n, p) -> peers.add("\"" + n + "=127.0.0.1:" + p + "\""));
    return ConfigFactory.parseString("""
        pekko.actor.provider = remote
        pekko.remote.artery.canonical.hostname = 127.0.0.1
        pekko.remote.artery.canonical.port = %d
        pekko.loglevel = WARNING
        pekko.log-dead-letters = off
        pacific.control-plane.peers = [%s]
        pacific.quorum.tick = 50ms
        pacific.quorum.client.attempt-timeout = 500ms
        pacific.quorum.client.deadline = 20s
        %s
        """.formatted(ports.get(name), String.join(", ", peers), extraConfig));
  }

  void stop(String name) {
    Member m = running.remove(name);
    m.kit().shutdownTestKit();
    if (m.storage() != null) {
      m.storage().close();
    }
  }

  Member member(String name) {
    return running.get(name);
  }

  QuorumClient client(String via) {
    Member m = running.get(via);
    return new QuorumClient(m.kit().system(), m.ref(), MemoryKv.SESSIONS,
        QuorumClient.Settings.fromConfig(m.kit().system().settings().config()));
  }

  QuorumStatus status(String name) {
    Member m = running.get(name);
    return await(AskPattern.ask(m.ref(), QuorumMember.GetStatus::new, Duration.ofSeconds(3),
        m.kit().system().scheduler()));
  }

  /** The leader every running member agrees on, waiting up to {@code within}; null if none. */
  String awaitLeader(Duration within) throws InterruptedException {
    long until = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < until) {
      List<String> leaders = running.keySet().stream().map(n -> status(n).leader()).distinct().toList();
      if (leaders.size() == 1 && leaders.get(0) != null && running.containsKey(leaders.get(0))) {
        return leaders.get(0);
      }
      Thread.sleep(20);
    }
    return null;
  }

  /** Waits until every running member applied the same state; returns its hash or fails. */
  String awaitSameState(Duration within) throws InterruptedException {
    long until = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < until) {
      List<String> hashes = running.values().stream().map(m -> m.machine().stateHash()).distinct().toList();
      List<Long> applied = running.values().stream().map(m -> m.machine().appliedIndex()).distinct().toList();
      if (hashes.size() == 1 && applied.size() == 1) {
        return hashes.get(0);
      }
      Thread.sleep(20);
    }
    throw new AssertionError("members did not converge: " + running.keySet().stream().map(this::status).toList());
  }

  static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    new ArrayList<>(running.keySet()).forEach(this::stop);
    if (dataRoot != null) {
      try (Stream<Path> paths = Files.walk(dataRoot)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
