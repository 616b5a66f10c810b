package dev.pacific.controlplane.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.pacific.controlplane.quorum.KvStateMachine;
import dev.pacific.controlplane.quorum.QuorumClient;
import dev.pacific.controlplane.quorum.QuorumKv;
import dev.pacific.controlplane.quorum.QuorumMember;
import dev.pacific.controlplane.quorum.QuorumSettings;
import dev.pacific.controlplane.quorum.QuorumStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * A real quorum member over LevelDB in a temporary directory, in one actor system with the
 * durable-state plugin wired to it ({@link RegistryQuorum} set), for the store and entity tests.
 */
public final class QuorumFixture implements AutoCloseable {

  private final Path dir;
  private final QuorumStorage storage;
  public final ActorTestKit kit;
  public final ActorRef<QuorumMember.Command> member;
  public final QuorumKv kv;

  private QuorumFixture(String systemConfig, String peers, String extraConfig) {
    try {
      dir = Files.createTempDirectory("pacific-registry-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Config config = ConfigFactory.parseString("""
        pacific.control-plane.peers = [%s]
        pacific.quorum.tick = 20ms
        pacific.quorum.client.attempt-timeout = 300ms
        pacific.quorum.client.deadline = 2s
        pacific.persistence.durable-state.recovery-timeout = 5s
        pekko.loglevel = WARNING
        pekko.log-dead-letters = off
        %s
        %s
        """.formatted(peers, systemConfig, extraConfig)).withFallback(ConfigFactory.load()).resolve();
    storage = QuorumStorage.open(dir, "cp-1", config);
    kit = ActorTestKit.create("pacific", config);
    member = kit.spawn(QuorumMember.create(QuorumSettings.fromConfig(config, "cp-1"), storage.log(),
        storage.stateMachine()), "quorum");
    kv = new QuorumKv(new QuorumClient(kit.system(), member, KvStateMachine.SESSIONS,
        QuorumClient.Settings.fromConfig(config)));
    RegistryQuorum.get(kit.system()).set(kv);
  }

  /** One member alone: it leads at once. Local actor provider. */
  public static QuorumFixture oneMember(String extraConfig) {
    return new QuorumFixture("", "\"cp-1=127.0.0.1:1\"", extraConfig);
  }

  /** One member that is also a one-member Pekko cluster with role {@code control-plane}, Up when this returns. */
  public static QuorumFixture oneMemberCluster(String extraConfig) throws InterruptedException {
    int port = freePort();
    QuorumFixture f = new QuorumFixture("""
        pekko.actor.provider = cluster
        pekko.remote.artery.canonical.hostname = 127.0.0.1
        pekko.remote.artery.canonical.port = %d
        pekko.cluster.roles = ["control-plane"]
        pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
        """.formatted(port), "\"cp-1=127.0.0.1:" + port + "\"", extraConfig);
    Cluster cluster = Cluster.get(f.kit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    if (!eventually(Duration.ofSeconds(20),
        () -> cluster.selfMember().status() == org.apache.pekko.cluster.MemberStatus.up())) {
      f.close();
      throw new AssertionError("the one-member cluster did not come up");
    }
    return f;
  }

  /**
   * cp-1 of three configured quorum members, the other two never started: it can never elect a
   * leader, so every write must fail (after the client's deadline), never hang.
   */
  public static QuorumFixture withoutMajority(String extraConfig) {
    int port = freePort();
    return new QuorumFixture("""
        pekko.actor.provider = remote
        pekko.remote.artery.canonical.hostname = 127.0.0.1
        pekko.remote.artery.canonical.port = %d
        """.formatted(port), "\"cp-1=127.0.0.1:%d\", \"cp-2=127.0.0.1:%d\", \"cp-3=127.0.0.1:%d\""
        .formatted(port, freePort(), freePort()), extraConfig);
  }

  private dev.pacific.controlplane.podcache.PodCache podCache;

  /** This member's pod cache, started on first use (once), as a control-plane member starts it. */
  public synchronized dev.pacific.controlplane.podcache.PodCache podCache() {
    if (podCache == null) {
      var config = kit.system().settings().config();
      podCache = dev.pacific.controlplane.podcache.PodCache.start(kit.system(),
          new RegistryReader(kv, storage.watch(), org.apache.pekko.serialization.SerializationExtension.get(
              kit.system())), kv, dev.pacific.controlplane.podcache.PodCacheSettings.fromConfig(config));
    }
    return podCache;
  }

  /** Watches on this member's applied state, for registry readers. */
  public dev.pacific.controlplane.quorum.QuorumWatch watch() {
    return storage.watch();
  }

  public ActorSystem<Void> system() {
    return kit.system();
  }

  public static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Waits for {@code condition}, polling; false if it did not hold within {@code within}. */
  public static boolean eventually(Duration within, BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < until) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
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
    synchronized (this) {
      if (podCache != null) {
        podCache.stop();
      }
    }
    kit.shutdownTestKit();
    storage.close();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
