package dev.pacific.deploy.launcher;

import dev.pacific.membership.MemberCard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of one member JVM: the same on every start, so a restart is the same member. */
final class MemberCommand {

  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private MemberCommand() {}

  /** @param joinExisting the member is restarted into a running cluster: it must join it, never form its own */
  static List<String> of(Distribution dist, ClusterFile cluster, MemberSpec m, boolean joinExisting) {
    List<String> cmd = new ArrayList<>();
    // Its own session: a member outlives the terminal and the launcher that started it.
    if (Files.isExecutable(SETSID)) {
      cmd.add(SETSID.toString());
    }
    cmd.add(dist.java());
    cmd.add("-Xmx" + cluster.heap());
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:+ExitOnOutOfMemoryError");
    // With fewer than three cores the common pool's parallelism is 1, and CompletableFuture then runs every async
    // task on a thread of its own. Stages from Pekko's asks (Scala futures converted) run even their plain
    // thenApply and whenComplete that way: a control-plane member started some 6,700 threads in a three-minute
    // bench pods run (session 6). A parallelism of 2 makes them tasks of the common pool.
    cmd.add("-Djava.util.concurrent.ForkJoinPool.common.parallelism=2");
    cmd.add(Processes.marker(m));
    cmd.add("-cp");
    cmd.add(dist.classpath());
    cmd.add("dev.pacific.deploy.Main");
    cmd.addAll(List.of("--role", m.role(), "--name", m.name(),
        "--http-port", String.valueOf(m.httpPort()), "--remoting-port", String.valueOf(m.remotingPort()),
        "--data-dir", m.dataDir(), "--peers", peers(cluster)));
    if (m.role().equals(MemberCard.HOST)) {
      cmd.addAll(List.of("--runtime", cluster.runtime()));
    }
    if (joinExisting) {
      cmd.add("--join-existing");
    }
    if (m.role().equals(MemberCard.CONTROL_PLANE) && m.hasRun()) {
      cmd.addAll(List.of("--set", "pacific.quorum.require-existing-data=on"));
    }
    for (String s : cluster.settings()) {
      cmd.addAll(List.of("--set", s));
    }
    return cmd;
  }

  private static String peers(ClusterFile cluster) {
    List<String> peers = new ArrayList<>();
    for (MemberSpec cp : cluster.withRole(MemberCard.CONTROL_PLANE)) {
      peers.add(cp.name() + "=127.0.0.1:" + cp.remotingPort());
    }
    return String.join(",", peers);
  }
}
