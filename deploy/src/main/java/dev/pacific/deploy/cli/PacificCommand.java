package dev.pacific.deploy.cli;

import dev.pacific.deploy.launcher.Distribution;
import dev.pacific.deploy.launcher.Launcher;
import dev.pacific.deploy.launcher.LauncherException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code deploy/pacific}: start, stop and inspect a local cluster (CONTRACT.md). Exit codes: 0
 * success, 1 failure with a message on stderr, 2 usage error.
 */
@Command(name = "pacific", mixinStandardHelpOptions = true, version = "pacific 0.1.0",
    description = "Runs a Pacific supervisor cluster on this machine.",
    subcommands = {
        PacificCommand.Up.class, PacificCommand.Down.class, PacificCommand.Destroy.class,
        PacificCommand.Status.class, PacificCommand.Kill.class, PacificCommand.Start.class,
        BenchCommand.class, ChaosCommand.class})
public final class PacificCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs one command line; returns the exit code (tests call this instead of main). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new PacificCommand());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof LauncherException le) {
        cmd.getErr().println("pacific: " + le.getMessage());
        return le.exitCode();
      }
      cmd.getErr().println("pacific: " + e);
      return 1;
    });
    return cli.execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: up, down, destroy, status, kill, start, bench, chaos");
  }

  /** The {@code --dir} every command takes. */
  static class DirOption {
    @Option(names = "--dir", defaultValue = ".pacific", description = "cluster directory (default ${DEFAULT-VALUE})")
    Path dir;

    Launcher launcher() {
      return new Launcher(dir, Distribution.fromSystemProperty(), System.out);
    }
  }

  @Command(name = "up", description = "Start a cluster (or restart the stopped one in --dir) and wait until it is ready.")
  static final class Up implements Callable<Integer> {
    @CommandLine.Mixin DirOption dir = new DirOption();

    @Option(names = "--control-planes", defaultValue = "3", description = "control-plane members, odd (default ${DEFAULT-VALUE})")
    int controlPlanes;

    @Option(names = "--hosts", defaultValue = "2", description = "hosts (default ${DEFAULT-VALUE})")
    int hosts;

    @Option(names = "--runtime", defaultValue = "process", description = "process or simulated (default ${DEFAULT-VALUE})")
    String runtime;

    @Option(names = "--heap", defaultValue = "256m", description = "heap of each member JVM (default ${DEFAULT-VALUE})")
    String heap;

    @Option(names = "--timeout", defaultValue = "180", description = "seconds to wait for readiness (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--set", description = "a setting for every member, key=value (repeatable)")
    List<String> settings = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      dir.launcher().up(new Launcher.UpOptions(controlPlanes, hosts, runtime, heap,
          Duration.ofSeconds(timeoutSeconds), settings));
      return 0;
    }
  }

  @Command(name = "down", description = "Stop every member and what it started; keep the data.")
  static final class Down implements Callable<Integer> {
    @CommandLine.Mixin DirOption dir = new DirOption();

    @Override
    public Integer call() throws Exception {
      dir.launcher().down();
      return 0;
    }
  }

  @Command(name = "destroy", description = "Stop the cluster and delete --dir.")
  static final class Destroy implements Callable<Integer> {
    @CommandLine.Mixin DirOption dir = new DirOption();

    @Override
    public Integer call() throws Exception {
      dir.launcher().destroy();
      return 0;
    }
  }

  @Command(name = "status", description = "One line per member, then the quorum leader.")
  static final class Status implements Callable<Integer> {
    @CommandLine.Mixin DirOption dir = new DirOption();

    @Override
    public Integer call() {
      dir.launcher().status().forEach(System.out::println);
      return 0;
    }
  }

  @Command(name = "kill", description = "SIGKILL one member's JVM (chaos).")
  static final class Kill implements Callable<Integer> {
    @Parameters(index = "0", description = "member name, e.g. cp-2 or host-1")
    String name;

    @CommandLine.Mixin DirOption dir = new DirOption();

    @Override
    public Integer call() {
      dir.launcher().kill(name);
      return 0;
    }
  }

  @Command(name = "start", description = "Start one member again with its flags, ports and data.")
  static final class Start implements Callable<Integer> {
    @Parameters(index = "0", description = "member name, e.g. cp-2 or host-1")
    String name;

    @CommandLine.Mixin DirOption dir = new DirOption();

    @Option(names = "--timeout", defaultValue = "120", description = "seconds to wait for it to answer (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
      var m = dir.launcher().start(name, Duration.ofSeconds(timeoutSeconds));
      System.out.println(m.name() + " started (pid " + m.pid() + ")");
      return 0;
    }
  }
}
