package dev.pacific.controlplane.quorum;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
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

/** A one-member quorum over LevelDB in a temporary directory, with an injected clock: it leads at once. */
public final class OneMemberQuorum implements AutoCloseable {

  public final Path dir;
  public final Config config;
  public final ActorTestKit kit;
  public final QuorumStorage storage;
  public final ActorRef<QuorumMember.Command> member;
  public final QuorumKv kv;

  public OneMemberQuorum(MonotonicClock clock, String extraConfig) {
    try {
      dir = Files.createTempDirectory("pacific-one-member-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    config = ConfigFactory.parseString("""
        pacific.control-plane.peers = ["cp-1=127.0.0.1:1"]
        pacific.quorum.tick = 20ms
        pekko.loglevel = WARNING
        %s
        """.formatted(extraConfig)).withFallback(ConfigFactory.load());
    storage = QuorumStorage.open(dir, "cp-1", config, clock);
    kit = ActorTestKit.create("pacific", config);
    member = kit.spawn(QuorumMember.create(QuorumSettings.fromConfig(config, "cp-1"), storage.log(),
        storage.stateMachine()), "quorum");
    kv = new QuorumKv(new QuorumClient(kit.system(), member, KvStateMachine.SESSIONS,
        QuorumClient.Settings.fromConfig(config)));
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

  @Override
  public void close() {
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
