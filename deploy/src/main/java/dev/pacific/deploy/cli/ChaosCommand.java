package dev.pacific.deploy.cli;

import dev.pacific.deploy.chaos.ChaosReport;
import dev.pacific.deploy.chaos.ChaosRun;
import dev.pacific.deploy.launcher.Distribution;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pacific chaos}: launches its own cluster in {@code --dir}, runs a workload through the LB
 * while a seeded schedule kills, pauses and restarts members, then checks and reports (issue 10).
 * Exit 0 when every check held, 1 otherwise; the report is {@code D/report.json}.
 */
@Command(name = "chaos", description = "Run a cluster under seeded faults and check nothing acknowledged was lost.")
final class ChaosCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--dir", description = "run directory: the cluster, its logs and report.json "
      + "(default .pacific-chaos/seed-S)")
  Path dir;

  @Option(names = "--minutes", defaultValue = "5", description = "how long faults go on (default ${DEFAULT-VALUE})")
  double minutes;

  @Option(names = "--seed", description = "the fault schedule's seed (default: the clock)")
  Long seed;

  @Option(names = "--control-planes", defaultValue = "3", description = "control-plane members (default ${DEFAULT-VALUE})")
  int controlPlanes;

  @Option(names = "--hosts", defaultValue = "3", description = "hosts (default ${DEFAULT-VALUE})")
  int hosts;

  @Option(names = "--min-faults", defaultValue = "10", description = "faults to inject at least, even past "
      + "--minutes (default ${DEFAULT-VALUE})")
  int minFaults;

  @Option(names = "--faults", split = ",", description = "only these fault kinds, e.g. KILL_LEADER,PAUSE_HOST "
      + "(KILL_LEADER, KILL_FOLLOWER, KILL_HOST, KILL_LB, PAUSE_LEADER, PAUSE_FOLLOWER, PAUSE_HOST, RETRY_BURST; "
      + "default all)")
  java.util.List<String> faults = new java.util.ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (minutes <= 0 || hosts < 1 || minFaults < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--minutes must be positive, --hosts at least 1");
    }
    for (String f : faults) {
      if (!ChaosRun.faultKinds().contains(f)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "unknown fault kind " + f + "; one of "
            + ChaosRun.faultKinds());
      }
    }
    long s = seed != null ? seed : System.currentTimeMillis();
    Path runDir = dir != null ? dir : Path.of(".pacific-chaos", "seed-" + s);
    System.out.println("chaos: seed " + s + ", run directory " + runDir.toAbsolutePath());
    ChaosReport report = ChaosRun.run(new ChaosRun.Options(Duration.ofMillis((long) (minutes * 60_000)), s,
        controlPlanes, hosts, runDir, minFaults, faults), Distribution.fromSystemProperty(), System.out);
    return report.passed() ? 0 : 1;
  }
}
