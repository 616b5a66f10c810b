package dev.pacific.host.podagent;

import dev.pacific.host.runtime.ContainerExit;
import dev.pacific.host.runtime.ContainerLaunch;
import dev.pacific.host.runtime.ContainerRuntime;
import dev.pacific.host.runtime.ExecResult;
import dev.pacific.host.runtime.RunningContainer;
import dev.pacific.host.runtime.StartResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** A runtime whose instances end when the test says, on the test's clock. */
final class FakeRuntime implements ContainerRuntime {

  private final Clock clock;
  final Map<String, Instance> latest = new ConcurrentHashMap<>();
  volatile StartResult.Failed failNextStart;
  volatile ContainerLaunch lastLaunch;

  FakeRuntime(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public CompletionStage<StartResult> start(ContainerLaunch launch) {
    lastLaunch = launch;
    if (failNextStart != null) {
      var failed = failNextStart;
      failNextStart = null;
      return CompletableFuture.completedFuture(failed);
    }
    Instance i = new Instance("fake://" + launch.container() + "/" + launch.restartCount(), clock.instant());
    latest.put(launch.container(), i);
    return CompletableFuture.completedFuture(new StartResult.Started(i));
  }

  /** The pod agent never asks; adoption is the spherelet's business. */
  @Override
  public List<dev.pacific.host.runtime.RunningInstance> instances() {
    return List.of();
  }

  @Override
  public CompletionStage<Integer> killStrays() {
    return CompletableFuture.completedFuture(0);
  }

  @Override
  public void close() {}

  final class Instance implements RunningContainer {
    final String id;
    final Instant startedAt;
    final CompletableFuture<ContainerExit> exit = new CompletableFuture<>();
    volatile Duration stoppedWithGrace;

    Instance(String id, Instant startedAt) {
      this.id = id;
      this.startedAt = startedAt;
    }

    void crash(int code) {
      exit.complete(ContainerExit.of(code, clock.instant()));
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public Instant startedAt() {
      return startedAt;
    }

    @Override
    public CompletionStage<ContainerExit> exit() {
      return exit;
    }

    /** Like a process that ignores SIGTERM: it ends by SIGKILL, exit 137. */
    @Override
    public CompletionStage<ContainerExit> stop(Duration grace) {
      stoppedWithGrace = grace;
      crash(137);
      return exit;
    }

    @Override
    public CompletionStage<ExecResult> exec(List<String> command, Duration timeout) {
      return CompletableFuture.completedFuture(new ExecResult(ExecResult.Outcome.EXITED, 0, ""));
    }
  }
}
