package dev.pacific.deploy.cli;

import dev.pacific.deploy.bench.ApiBench;
import dev.pacific.deploy.bench.KvBench;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pacific bench ...}: benchmarks against the running cluster in --dir. They print; they never judge. */
@Command(name = "bench", description = "Benchmarks against the running cluster in --dir.",
    subcommands = {BenchCommand.Kv.class, BenchCommand.Api.class})
public final class BenchCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a benchmark is required: kv or api");
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
      if (clients < 1 || seconds <= 0 || valueBytes < 0 || failovers < 0) {
        throw new CommandLine.ParameterException(spec(), "--clients, --seconds must be positive; --value-bytes, "
            + "--failover not negative");
      }
      if (against != null && !against.equals("etcd")) {
        throw new CommandLine.ParameterException(spec(), "--against takes etcd: " + against);
      }
      if (!via.equals("lb") && !via.equals("members")) {
        throw new CommandLine.ParameterException(spec(), "--via takes lb or members: " + via);
      }
      new KvBench(dir.launcher(), new KvBench.Options(clients, seconds, valueBytes, failovers, against != null,
          via.equals("members")), System.out).run();
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
}
