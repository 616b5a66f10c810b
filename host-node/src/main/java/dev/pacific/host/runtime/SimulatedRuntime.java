package dev.pacific.host.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs no processes: a container is a small object that "runs" until stopped, so one host can hold
 * thousands of pods in a scale run. Starts take {@code start-delay}; a fraction
 * {@code failure-rate} of them fail, so back-off and status reporting are exercised at scale.
 * Exec probes always succeed: there is nothing to probe.
 */
public final class SimulatedRuntime implements ContainerRuntime {

  private final Duration startDelay;
  private final double failureRate;
  private final Random random;
  private final ScheduledExecutorService timers;
  private final Set<Simulated> live = ConcurrentHashMap.newKeySet();
  private final AtomicLong ids = new AtomicLong();

  public SimulatedRuntime(Duration startDelay, double failureRate, long seed) {
    this.startDelay = startDelay;
    this.failureRate = failureRate;
    this.random = new Random(seed);
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "simulated-runtime");
      t.setDaemon(true);
      return t;
    });
  }

  public static SimulatedRuntime fromSettings(RuntimeSettings settings) {
    return new SimulatedRuntime(settings.simulatedStartDelay(), settings.simulatedFailureRate(), System.nanoTime());
  }

  @Override
  public String name() {
    return "simulated";
  }

  @Override
  public CompletionStage<StartResult> start(ContainerLaunch launch) {
    CompletableFuture<StartResult> result = new CompletableFuture<>();
    boolean fails;
    synchronized (random) {
      fails = random.nextDouble() < failureRate;
    }
    timers.schedule(() -> {
      if (fails) {
        result.complete(new StartResult.Failed("StartError", "simulated start failure (failure-rate " + failureRate + ")"));
      } else {
        Simulated c = new Simulated("simulated://" + ids.incrementAndGet(), Instant.now(), launch);
        live.add(c);
        result.complete(new StartResult.Started(c));
      }
    }, startDelay.toMillis(), TimeUnit.MILLISECONDS);
    return result;
  }

  @Override
  public List<RunningInstance> instances() {
    return live.stream().map(c -> new RunningInstance(c.launch, c)).toList();
  }

  /** A simulated container has no process to leave behind. */
  @Override
  public CompletionStage<Integer> killStrays() {
    return CompletableFuture.completedFuture(0);
  }

  /** Simulated instances running now. */
  public int running() {
    return live.size();
  }

  @Override
  public void close() {
    for (Simulated c : live) {
      c.end(137);
    }
    timers.shutdownNow();
  }

  /** A running container reduced to what status needs: an id, a start time, an outcome to come. */
  private final class Simulated implements RunningContainer {
    private final String id;
    private final Instant startedAt;
    private final CompletableFuture<ContainerExit> exit = new CompletableFuture<>();
    private final ContainerLaunch launch;

    Simulated(String id, Instant startedAt, ContainerLaunch launch) {
      this.id = id;
      this.startedAt = startedAt;
      this.launch = launch;
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

    /** A simulated process honours SIGTERM at once: exit 143, as a shell killed by SIGTERM. */
    @Override
    public CompletionStage<ContainerExit> stop(Duration grace) {
      end(143);
      return exit;
    }

    @Override
    public CompletionStage<ExecResult> exec(List<String> command, Duration timeout) {
      return CompletableFuture.completedFuture(new ExecResult(ExecResult.Outcome.EXITED, 0, ""));
    }

    void end(int code) {
      if (exit.complete(ContainerExit.of(code, Instant.now()))) {
        live.remove(this);
      }
    }
  }
}
