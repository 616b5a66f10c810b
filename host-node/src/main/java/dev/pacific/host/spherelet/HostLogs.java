package dev.pacific.host.spherelet;

import dev.pacific.api.PodStatus;
import dev.pacific.host.logs.LogLocator;
import dev.pacific.host.runtime.PodRef;
import dev.pacific.host.runtime.RuntimeSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where the logs of this host's pods are, for the host's log endpoint: the reconciler tells it
 * each pod's latest status, and a container's current log is that of its latest instance
 * ({@code restartCount}), the previous one the instance before, as the kubelet lays them out.
 * Read from HTTP threads while the reconciler writes, hence a concurrent map of immutable entries.
 */
public final class HostLogs implements LogLocator {

  private record Tracked(PodRef ref, Map<String, PodStatus.ContainerStatus> containers) {}

  private final RuntimeSettings settings;
  private final Map<String, Tracked> byName = new ConcurrentHashMap<>();

  public HostLogs(RuntimeSettings settings) {
    this.settings = settings;
  }

  void update(PodRef ref, PodStatus status) {
    byName.put(ref.namespace() + "/" + ref.name(), new Tracked(ref, status.containerStatuses().stream()
        .collect(Collectors.toUnmodifiableMap(PodStatus.ContainerStatus::name, Function.identity(), (a, b) -> b))));
  }

  void forget(PodRef ref) {
    byName.computeIfPresent(ref.namespace() + "/" + ref.name(), (k, t) -> t.ref().uid().equals(ref.uid()) ? null : t);
  }

  @Override
  public Optional<Path> find(String namespace, String pod, String container, boolean previous) {
    Tracked t = byName.get(namespace + "/" + pod);
    PodStatus.ContainerStatus c = t == null ? null : t.containers().get(container);
    if (c == null || c.restartCount() == null) {
      return Optional.empty();
    }
    int instance = previous ? c.restartCount() - 1 : c.restartCount();
    if (instance < 0) {
      return Optional.empty();
    }
    Path file = settings.logFile(t.ref(), container, instance);
    return Files.exists(file) ? Optional.of(file) : Optional.empty();
  }

  @Override
  public boolean writing(Path logFile) {
    for (Tracked t : byName.values()) {
      for (PodStatus.ContainerStatus c : t.containers().values()) {
        boolean running = c.state() != null && c.state().running() != null;
        if (running && c.restartCount() != null
            && settings.logFile(t.ref(), c.name(), c.restartCount()).equals(logFile)) {
          return true;
        }
      }
    }
    return false;
  }
}
