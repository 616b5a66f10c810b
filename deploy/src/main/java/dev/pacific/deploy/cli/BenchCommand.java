package dev.pacific.deploy.cli;

import dev.pacific.deploy.bench.ApiBench;
import dev.pacific.deploy.bench.KvBench;
import dev.pacific.deploy.bench.PodBench;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pacific bench ...}: benchmarks against the running cluster in --dir. They print; they never judge. */
@Command(name = "bench", description = "Benchmarks against the running cluster in --dir.",
    subcommands = {BenchCommand.Kv.class, BenchCommand.Api.class, BenchCommand.Pods.class})
public final class BenchCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a benchmark is required: kv, api or pods");
  }

  @Command(name = "kv", description = "put/s and p50/p90/p99 through /admin/v1/kv; optionally leader failovers "
      + "and the same load against a 3-member etcd.")
  static final class Kv implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin PacificCommand.DirOption dir = new PacificCommand.DirOption();

    @Option(names = "--clients", defaultValue = "16", description = "concurrent clients (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--seconds", defaultValue = "15", description = "measured seconds per round (default ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--value-bytes", defaultValue = "256", description = "bytes per value (default ${DEFAULT-VALUE})")
    int valueBytes;

    @Option(names = "--warmup", defaultValue = "60", description = "seconds of the same load, unmeasured, against "
        + "each store before its first round: JVMs compile while they serve (default ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--failover", defaultValue = "0", description = "leader SIGKILLs under load, each restarted; "
        + "prints the write outage (default ${DEFAULT-VALUE})")
    int failovers;

    @Option(names = "--against", description = "also run the same load against: etcd")
    String against;

    @Option(names = "--via", defaultValue = "lb", description = "where Pacific's clients connect: lb (the load "
        + "balancer, one address) or members (spread over the control-plane members' own ports, as the etcd "
        + "clients are spread over its members) (default ${DEFAULT-VALUE})")
    String via;

    @Override
    public Integer call() throws Exception {
      if (clients < 1 || seconds <= 0 || valueBytes < 0 || failovers < 0 || warmup < 0) {
        throw new CommandLine.ParameterException(spec(), "--clients, --seconds must be positive; --value-bytes, "
            + "--failover, --warmup not negative");
      }
      if (against != null && !against.equals("etcd")) {
        throw new CommandLine.ParameterException(spec(), "--against takes etcd: " + against);
      }
      if (!via.equals("lb") && !via.equals("members")) {
        throw new CommandLine.ParameterException(spec(), "--via takes lb or members: " + via);
      }
      new KvBench(dir.launcher(), new KvBench.Options(clients, seconds, valueBytes, failovers, against != null,
          via.equals("members"), warmup), System.out).run();
      return 0;
    }

    private CommandLine spec() {
      return spec.commandLine();
    }
  }

  @Command(name = "api", description = "pod creates/s and p50/p90/p99 through the LB, the latency of listing them "
      + "all, and the control-plane heap per 1,000 pods.")
  static final class Api implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin PacificCommand.DirOption dir = new PacificCommand.DirOption();

    @Option(names = "--clients", defaultValue = "16", description = "concurrent clients (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--pods", defaultValue = "10000", description = "pods to create (default ${DEFAULT-VALUE})")
    int pods;

    @Option(names = "--keep", description = "leave the benchmark's namespace and pods behind")
    boolean keep;

    @Override
    public Integer call() throws Exception {
      if (clients < 1 || pods < 1) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--clients and --pods must be positive");
      }
      new ApiBench(dir.launcher(), new ApiBench.Options(clients, pods, keep), System.out).run();
      return 0;
    }
  }

  @Command(name = "pods", description = "create -> Running p50/p99 (process runtime), the time from a host's "
      + "SIGKILL to its pods Running elsewhere, and pods bound/s (simulated runtime), each on a cluster of its own "
      + "that it starts under --dir and destroys.")
  static final class Pods implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", defaultValue = ".pacific-bench-pods", description = "where the benchmark's clusters "
        + "live while it runs (default ${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--only", split = ",", description = "rounds to run: latency, failover, throughput "
        + "(default: all)")
    List<String> only = List.of("latency", "failover", "throughput");

    @Option(names = "--latency-pods", defaultValue = "100", description = "pods created one at a time for the "
        + "latency round (default ${DEFAULT-VALUE})")
    int latencyPods;

    @Option(names = "--hosts", defaultValue = "10", description = "simulated hosts in the throughput round "
        + "(default ${DEFAULT-VALUE})")
    int hosts;

    @Option(names = "--pods-per-host", defaultValue = "1000", description = "pods per simulated host "
        + "(default ${DEFAULT-VALUE})")
    int podsPerHost;

    @Option(names = "--clients", defaultValue = "16", description = "concurrent clients creating the throughput "
        + "round's pods (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--heap", description = "heap of each member JVM (default 256m; for the throughput round 256m "
        + "plus 64m per 1,000 pods)")
    String heap;

    @Option(names = "--warmup-pods", defaultValue = "1000", description = "pods created, run and deleted before "
        + "the throughput round, unmeasured, as scheduler_perf's init pods (default ${DEFAULT-VALUE})")
    int warmupPods;

    @Option(names = "--timeout", defaultValue = "600", description = "seconds to wait for any one step "
        + "(default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
      List<String> rounds = List.of("latency", "failover", "throughput");
      if (!rounds.containsAll(only) || only.isEmpty()) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--only takes latency, failover, throughput: "
            + only);
      }
      if (latencyPods < 1 || hosts < 1 || podsPerHost < 1 || clients < 1 || timeoutSeconds < 1 || warmupPods < 0) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--latency-pods, --hosts, --pods-per-host, "
            + "--clients and --timeout must be positive, --warmup-pods not negative");
      }
      new PodBench(dir, new PodBench.Options(only.contains("latency"), only.contains("failover"),
          only.contains("throughput"), latencyPods, hosts, podsPerHost, clients, heap,
          Duration.ofSeconds(timeoutSeconds), warmupPods), System.out).run();
      return 0;
    }
  }
}
