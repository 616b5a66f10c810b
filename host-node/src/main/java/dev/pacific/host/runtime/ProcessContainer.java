package dev.pacific.host.runtime;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One container instance as a process group. When its first process ends, whatever it left in
 * the group is killed, as a container's processes die with its PID 1; only then, with the log
 * drained, does {@link #exit()} complete.
 */
final class ProcessContainer implements RunningContainer {

  private static final int EXEC_OUTPUT_LIMIT = 10 * 1024;

  private final String id;
  private final Process process;
  private final ProcessGroup group;
  private final Path dir;
  private final Map<String, String> environment;
  private final Instant startedAt = Instant.now();
  private final CompletableFuture<ContainerExit> exit = new CompletableFuture<>();
  private final ExecutorService io;
  private final ScheduledExecutorService timers;

  private ProcessContainer(String id, Process process, Map<String, String> environment, Path dir,
      ExecutorService io, ScheduledExecutorService timers) {
    this.id = id;
    this.process = process;
    this.group = new ProcessGroup(process.pid());
    this.environment = environment;
    this.dir = dir;
    this.io = io;
    this.timers = timers;
  }

  static ProcessContainer start(String id, List<String> argv, Map<String, String> environment, Path dir,
      Path logFile, RuntimeSettings settings, Watchdog watchdog, ExecutorService io,
      ScheduledExecutorService timers) throws IOException {
    RotatingLog log = new RotatingLog(logFile, settings.logMaxBytes(), settings.logMaxFiles());
    Process process = builder(argv, environment, dir).start();
    ProcessContainer c = new ProcessContainer(id, process, environment, dir, io, timers);
    watchdog.adopt(c.group);
    try {
      ProcessGroup.awaitLeader(process.pid(), 2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Future<?> pump = io.submit(() -> pump(process.getInputStream(), log));
    process.onExit().thenRunAsync(() -> c.ended(pump, log, watchdog), io);
    return c;
  }

  private static ProcessBuilder builder(List<String> argv, Map<String, String> environment, Path dir) {
    ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().clear();
    pb.environment().putAll(environment);
    return pb;
  }

  /** stdout and stderr together, in the order written, as {@code kubectl logs} shows them. */
  private static void pump(InputStream in, RotatingLog log) {
    byte[] buffer = new byte[8192];
    try (in; log) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        log.write(buffer, 0, n);
      }
    } catch (IOException e) {
      // The log's disk is full or gone; the container keeps running, as with the kubelet.
    }
  }

  private void ended(Future<?> pump, RotatingLog log, Watchdog watchdog) {
    group.kill(); // what the first process left behind
    try {
      pump.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      pump.cancel(true); // a process that left the group still holds the pipe
    }
    watchdog.release(group);
    exit.complete(ContainerExit.of(process.exitValue(), Instant.now()));
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Instant startedAt() {
    return startedAt;
  }

  long pid() {
    return process.pid();
  }

  @Override
  public CompletionStage<ContainerExit> exit() {
    return exit;
  }

  @Override
  public CompletionStage<ContainerExit> stop(Duration grace) {
    if (!exit.isDone()) {
      group.terminate();
      var kill = timers.schedule(group::kill, Math.max(0, grace.toMillis()), TimeUnit.MILLISECONDS);
      exit.whenComplete((e, f) -> kill.cancel(false));
    }
    return exit;
  }

  void killNow() {
    group.kill();
  }

  @Override
  public CompletionStage<ExecResult> exec(List<String> command, Duration timeout) {
    return CompletableFuture.supplyAsync(() -> execNow(command, timeout), io);
  }

  private ExecResult execNow(List<String> command, Duration timeout) {
    if (command.isEmpty()) {
      return new ExecResult(ExecResult.Outcome.COULD_NOT_START, -1, "no command");
    }
    var resolved = ProcessRuntime.resolve(command.get(0), dir, environment.get("PATH"));
    if (resolved.isEmpty()) {
      return new ExecResult(ExecResult.Outcome.COULD_NOT_START, -1, "executable not found: " + command.get(0));
    }
    List<String> argv = new ArrayList<>(List.of("/usr/bin/setsid", resolved.get()));
    argv.addAll(command.subList(1, command.size()));
    try {
      Process p = builder(argv, environment, dir).start();
      Future<byte[]> output = io.submit(() -> readCapped(p.getInputStream()));
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        new ProcessGroup(p.pid()).kill();
        p.waitFor(5, TimeUnit.SECONDS);
        return new ExecResult(ExecResult.Outcome.TIMED_OUT, -1, "timed out after " + timeout.toMillis() + "ms");
      }
      new ProcessGroup(p.pid()).kill(); // nothing the probe forked outlives it
      String text = new String(output.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8);
      return new ExecResult(ExecResult.Outcome.EXITED, p.exitValue(), text);
    } catch (IOException e) {
      return new ExecResult(ExecResult.Outcome.COULD_NOT_START, -1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ExecResult(ExecResult.Outcome.TIMED_OUT, -1, "interrupted");
    } catch (Exception e) {
      return new ExecResult(ExecResult.Outcome.EXITED, -1, "output unreadable: " + e);
    }
  }

  private static byte[] readCapped(InputStream in) throws IOException {
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try (in) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        kept.write(buffer, 0, Math.max(0, Math.min(n, EXEC_OUTPUT_LIMIT - kept.size())));
      }
    }
    return kept.toByteArray();
  }
}
