package dev.pacific.host.runtime;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Each container instance is an OS process started under {@code setsid}, so it and everything it
 * forks form one process group that is signalled as a whole. Its environment is the container's
 * own plus {@code POD_IP} and the host's markers; it runs in the image bundle or the pod's
 * sandbox; its output goes to a size-capped, rotating log. Every group is reported to the
 * {@link Watchdog}, which kills what is left if this JVM dies or loses its lease.
 */
public final class ProcessRuntime implements ContainerRuntime {

  private final RuntimeSettings settings;
  private final HostMarkers markers;
  private final Watchdog watchdog;
  private final ExecutorService io = Executors.newCachedThreadPool(daemon("pod-io"));
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(daemon("pod-timers"));
  /** Instances running now, with the launch that started each (a restarted spherelet adopts by it). */
  private final Map<ProcessContainer, ContainerLaunch> live = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();

  public ProcessRuntime(RuntimeSettings settings, HostMarkers markers, Watchdog watchdog) {
    this.settings = settings;
    this.markers = markers;
    this.watchdog = watchdog;
  }

  @Override
  public String name() {
    return "process";
  }

  @Override
  public CompletionStage<StartResult> start(ContainerLaunch launch) {
    return CompletableFuture.supplyAsync(() -> startNow(launch), io);
  }

  private StartResult startNow(ContainerLaunch launch) {
    if (!watchdog.mayStartPods()) {
      return new StartResult.Failed("Fenced", "this host holds no valid lease, so it may not start pods");
    }
    Path dir = launch.workingDir() != null ? launch.workingDir() : settings.sandbox(launch.pod());
    try {
      Files.createDirectories(settings.sandbox(launch.pod()));
    } catch (IOException e) {
      return new StartResult.Failed("StartError", "cannot create the pod sandbox: " + e.getMessage());
    }
    if (!Files.isDirectory(dir)) {
      return new StartResult.Failed("StartError", "working directory " + dir + " does not exist");
    }
    if (launch.argv().isEmpty()) {
      return new StartResult.Failed("StartError", "the container has no command: set command (and args)");
    }
    Map<String, String> env = environment(launch);
    Optional<String> executable = resolve(launch.argv().get(0), dir, env.get("PATH"));
    if (executable.isEmpty()) {
      return new StartResult.Failed("StartError",
          "exec: \"" + launch.argv().get(0) + "\": executable file not found in the bundle or $PATH");
    }
    List<String> argv = new ArrayList<>(List.of("/usr/bin/setsid", executable.get()));
    argv.addAll(launch.argv().subList(1, launch.argv().size()));
    String id = "process://" + launch.pod().uid() + "/" + launch.container() + "/" + ids.incrementAndGet();
    try {
      ProcessContainer c = ProcessContainer.start(id, argv, env, dir,
          settings.logFile(launch.pod(), launch.container(), launch.restartCount()), settings, watchdog, io, timers);
      live.put(c, launch);
      c.exit().whenComplete((exit, failure) -> live.remove(c));
      return new StartResult.Started(c);
    } catch (IOException e) {
      return new StartResult.Failed("StartError", "cannot start " + executable.get() + ": " + e.getMessage());
    }
  }

  /**
   * A container sees only its own variables, as in Kubernetes, plus a {@code PATH} to find
   * commands by and {@code HOSTNAME}; the markers come last so that no spec can override them.
   */
  private Map<String, String> environment(ContainerLaunch launch) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", Optional.ofNullable(System.getenv("PATH")).orElse("/usr/local/bin:/usr/bin:/bin"));
    env.put("HOSTNAME", launch.pod().name());
    env.putAll(launch.env());
    if (launch.pod().podIp() != null) {
      env.put("POD_IP", launch.pod().podIp());
    }
    env.putAll(markers.forPod(launch.pod().uid()));
    return env;
  }

  /**
   * CONTRACT.md {@code /admin/v1/images}: a relative {@code command[0]} that exists in the bundle
   * runs from there, otherwise it is looked up on {@code PATH}.
   */
  static Optional<String> resolve(String command, Path dir, String path) {
    if (command.startsWith("/")) {
      return Files.isExecutable(Path.of(command)) ? Optional.of(command) : Optional.empty();
    }
    Path inBundle = dir.resolve(command);
    if (Files.isRegularFile(inBundle) && Files.isExecutable(inBundle)) {
      return Optional.of(inBundle.toAbsolutePath().toString());
    }
    if (command.contains("/") || path == null) {
      return Optional.empty();
    }
    for (String entry : path.split(File.pathSeparator)) {
      Path candidate = Path.of(entry.isEmpty() ? "." : entry, command);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate.toString());
      }
    }
    return Optional.empty();
  }

  /** Instances running now; the watchdog keeps its own count, this one is for the host's status. */
  public int running() {
    return live.size();
  }

  @Override
  public List<RunningInstance> instances() {
    return live.entrySet().stream().map(e -> new RunningInstance(e.getValue(), e.getKey())).toList();
  }

  @Override
  public CompletionStage<Integer> killStrays() {
    return CompletableFuture.supplyAsync(this::killStraysNow, io);
  }

  /**
   * A stray carries this host's markers yet is neither a descendant of this JVM (every container
   * and exec probe it starts is) nor in the group of a container it runs (a daemon that
   * double-forked away from this JVM still is). SIGKILL: its owner is gone, nobody can stop it
   * gracefully on its behalf, and its pod may already run elsewhere.
   */
  private int killStraysNow() {
    Set<Long> ours = ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
    Set<Long> groups = live.keySet().stream().map(ProcessContainer::pid).collect(Collectors.toSet());
    List<Long> strays = MarkedProcesses.ofHost(markers).stream()
        .filter(pid -> !ours.contains(pid) && !groups.contains(ProcessGroup.pgidOf(pid)))
        .toList();
    strays.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < until && MarkedProcesses.ofHost(markers).stream().anyMatch(strays::contains)) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return strays.size();
  }

  @Override
  public void close() {
    for (ProcessContainer c : live.keySet()) {
      c.killNow();
    }
    timers.shutdownNow();
    io.shutdown();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicLong n = new AtomicLong();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
