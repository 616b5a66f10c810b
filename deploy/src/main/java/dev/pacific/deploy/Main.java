package dev.pacific.deploy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.pacific.controlplane.ControlPlane;
import dev.pacific.controlplane.lb.LoadBalancerMember;
import dev.pacific.host.spherelet.Spherelet;
import dev.pacific.membership.MemberCard;
import dev.pacific.membership.MemberIdentity;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The one entry point of every Pacific member: reads its role and starts what that role runs,
 * nothing more. Flags override the modules' {@code reference.conf}.
 */
@Command(name = "pacific-member", mixinStandardHelpOptions = true,
    description = "Runs one Pacific cluster member (started by `pacific up`).")
public final class Main implements Callable<Integer> {

  /** Name of the actor system: every member of a cluster must use the same. */
  public static final String SYSTEM_NAME = "pacific";

  @Option(names = "--role", required = true, description = "control-plane, host or lb")
  String role;

  @Option(names = "--name", required = true, description = "member name: cp-N, host-N, lb-1")
  String name;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "interface to bind (default ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--http-port", defaultValue = "0", description = "this member's HTTP port; 0 = any free")
  int httpPort;

  @Option(names = "--remoting-port", defaultValue = "0", description = "this member's Pekko remoting port")
  int remotingPort;

  @Option(names = "--data-dir", required = true, description = "where this member keeps its data")
  String dataDir;

  @Option(names = "--peers", required = true, split = ",",
      description = "control-plane members as name=host:remotingPort; also the seed nodes")
  List<String> peers;

  @Option(names = "--cpu", description = "host: CPUs offered to pods (quantity)")
  String cpu;

  @Option(names = "--memory", description = "host: memory offered to pods (quantity)")
  String memory;

  @Option(names = "--max-pods", description = "host: most pods at once")
  Integer maxPods;

  @Option(names = "--runtime", description = "host: process or simulated")
  String runtime;

  /**
   * A control-plane member is one of the seed nodes, and Pekko lets the first seed form a new
   * cluster on its own when no other seed answers within {@code seed-node-timeout}. A restarted
   * member that does so while its peers are merely slow to answer (a loaded machine) forms an
   * island: a second Pekko cluster beside the first. Restarted into a running cluster, it leaves
   * itself out of its seed nodes, so it only ever joins.
   */
  @Option(names = "--join-existing",
      description = "join the running cluster; never form a new one (the launcher sets it on `start`)")
  boolean joinExisting;

  @Option(names = "--set", description = "any setting, as key=value (repeatable)")
  List<String> settings = new ArrayList<>();

  public static void main(String[] args) {
    // Exit explicitly: on failure the JVM's shutdown hook stops the actor system (coordinated shutdown).
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (!List.of(MemberCard.CONTROL_PLANE, MemberCard.HOST, MemberCard.LB).contains(role)) {
      System.err.println(name + ": unknown role '" + role + "': expected control-plane, host or lb");
      return 2;
    }
    Config config = config();
    MemberIdentity me = MemberIdentity.fromConfig(config);
    Files.createDirectories(me.dataDir());
    CompletableFuture<Integer> started = new CompletableFuture<>();
    ActorSystem<Void> system = ActorSystem.create(guardian(me, started), SYSTEM_NAME, config);
    long timeout = config.getDuration("pacific.deploy.start-timeout").toMillis();
    try {
      int port = started.get(timeout, TimeUnit.MILLISECONDS);
      System.out.println(name + " (" + role + ") started: http " + host + ":" + port + ", remoting "
          + host + ":" + me.remotingPort() + ", pid " + ProcessHandle.current().pid());
    } catch (java.util.concurrent.TimeoutException e) {
      System.err.println(name + ": cannot start: its listener did not bind within " + timeout + " ms");
      return 1;
    } catch (java.util.concurrent.ExecutionException e) {
      System.err.println(name + ": cannot start: " + e.getCause().getMessage());
      return 1;
    }
    // The member lives until its actor system ends (SIGTERM, or downed by the Split Brain Resolver).
    system.getWhenTerminated().toCompletableFuture().join();
    return 0;
  }

  private Behavior<Void> guardian(MemberIdentity me, CompletableFuture<Integer> started) {
    return switch (role) {
      case MemberCard.CONTROL_PLANE -> ControlPlane.create(me, started);
      case MemberCard.HOST -> Spherelet.create(me, started);
      default -> LoadBalancerMember.create(me, started);
    };
  }

  Config config() {
    Map<String, Object> flags = new HashMap<>();
    flags.put("pacific.member.name", name);
    flags.put("pacific.member.role", role);
    flags.put("pacific.member.host", host);
    flags.put("pacific.member.http-port", httpPort);
    flags.put("pacific.member.data-dir", dataDir);
    flags.put("pacific.control-plane.peers", peers);
    flags.put("pekko.remote.artery.canonical.hostname", host);
    flags.put("pekko.remote.artery.canonical.port", remotingPort);
    flags.put("pekko.cluster.roles", List.of(role));
    List<String> seeds = new ArrayList<>();
    for (String peer : peers) {
      if (joinExisting && peer.substring(0, peer.indexOf('=')).equals(name)) {
        continue;
      }
      seeds.add("pekko://" + SYSTEM_NAME + "@" + peer.substring(peer.indexOf('=') + 1));
    }
    flags.put("pekko.cluster.seed-nodes", seeds);
    putIfSet(flags, "pacific.host.cpu", cpu);
    putIfSet(flags, "pacific.host.memory", memory);
    putIfSet(flags, "pacific.host.max-pods", maxPods);
    putIfSet(flags, "pacific.host.runtime", runtime);
    Config overrides = ConfigFactory.empty();
    for (String s : settings) {
      overrides = ConfigFactory.parseString(s).withFallback(overrides);
    }
    return overrides.withFallback(ConfigFactory.parseMap(flags)).withFallback(ConfigFactory.load());
  }

  private static void putIfSet(Map<String, Object> flags, String key, Object value) {
    if (value != null) {
      flags.put(key, value);
    }
  }
}
