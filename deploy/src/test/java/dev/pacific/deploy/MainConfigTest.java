package dev.pacific.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A member's configuration: flags override reference.conf, and --set overrides both. */
class MainConfigTest {

  private static Config configOf(String... args) {
    Main main = new Main();
    new CommandLine(main).parseArgs(args);
    return main.config();
  }

  @Test
  void flagsBecomeTheMembersClusterSettings() {
    Config c = configOf("--role", "host", "--name", "host-3", "--http-port", "4001", "--remoting-port", "4002",
        "--data-dir", "/tmp/x/host-3", "--peers", "cp-1=127.0.0.1:5001,cp-2=127.0.0.1:5002,cp-3=127.0.0.1:5003",
        "--cpu", "3", "--max-pods", "7");
    assertEquals("host-3", c.getString("pacific.member.name"));
    assertEquals(List.of("host"), c.getStringList("pekko.cluster.roles"));
    assertEquals(4002, c.getInt("pekko.remote.artery.canonical.port"));
    assertEquals(List.of("pekko://pacific@127.0.0.1:5001", "pekko://pacific@127.0.0.1:5002",
        "pekko://pacific@127.0.0.1:5003"), c.getStringList("pekko.cluster.seed-nodes"));
    assertEquals("3", c.getString("pacific.host.cpu"));
    assertEquals(7, c.getInt("pacific.host.max-pods"));
    assertEquals("auto", c.getString("pacific.host.memory"), "unset flags keep reference.conf's value");
  }

  @Test
  void aMemberRestartedIntoARunningClusterOnlyJoinsIt() {
    String peers = "cp-1=127.0.0.1:5001,cp-2=127.0.0.1:5002,cp-3=127.0.0.1:5003";
    Config first = configOf("--role", "control-plane", "--name", "cp-1", "--data-dir", "/tmp/x/cp-1",
        "--peers", peers);
    assertEquals("pekko://pacific@127.0.0.1:5001", first.getStringList("pekko.cluster.seed-nodes").get(0),
        "the first seed of a new cluster may form it");
    Config rejoining = configOf("--role", "control-plane", "--name", "cp-1", "--data-dir", "/tmp/x/cp-1",
        "--peers", peers, "--join-existing");
    assertEquals(List.of("pekko://pacific@127.0.0.1:5002", "pekko://pacific@127.0.0.1:5003"),
        rejoining.getStringList("pekko.cluster.seed-nodes"), "not a seed of its own, so it never joins itself");
  }

  @Test
  void referenceConfDownsDeadMembersWithinSeconds() {
    Config c = configOf("--role", "control-plane", "--name", "cp-1", "--data-dir", "/tmp/x/cp-1",
        "--peers", "cp-1=127.0.0.1:5001");
    assertEquals("org.apache.pekko.cluster.sbr.SplitBrainResolverProvider",
        c.getString("pekko.cluster.downing-provider-class"));
    assertEquals("keep-majority", c.getString("pekko.cluster.split-brain-resolver.active-strategy"));
    assertEquals("control-plane", c.getString("pekko.cluster.split-brain-resolver.keep-majority.role"));
    assertEquals(Duration.ofSeconds(3), c.getDuration("pekko.cluster.split-brain-resolver.stable-after"));
    assertEquals("on", c.getString("pekko.coordinated-shutdown.exit-jvm"));
  }

  @Test
  void setOverridesFlagsAndDefaults() {
    Config c = configOf("--role", "lb", "--name", "lb-1", "--data-dir", "/tmp/x/lb-1", "--peers",
        "cp-1=127.0.0.1:5001", "--set", "pekko.cluster.split-brain-resolver.stable-after=1s",
        "--set", "pacific.lb.probe-interval=100ms");
    assertEquals(Duration.ofSeconds(1), c.getDuration("pekko.cluster.split-brain-resolver.stable-after"));
    assertEquals(Duration.ofMillis(100), c.getDuration("pacific.lb.probe-interval"));
  }
}
