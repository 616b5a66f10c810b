package dev.pacific.host.spherelet;

import com.typesafe.config.Config;
import dev.pacific.host.addresses.PodAddresses;
import dev.pacific.host.images.ImageService;
import dev.pacific.host.images.ImageSource;
import dev.pacific.host.images.LibrarySource;
import dev.pacific.host.podagent.NetworkProber;
import dev.pacific.host.podagent.PodAgentSettings;
import dev.pacific.host.runtime.ContainerRuntime;
import dev.pacific.host.runtime.HostMarkers;
import dev.pacific.host.runtime.ProcessRuntime;
import dev.pacific.host.runtime.RuntimeSettings;
import dev.pacific.host.runtime.SimulatedRuntime;
import dev.pacific.host.runtime.Watchdog;
import dev.pacific.api.Node;
import dev.pacific.membership.MemberIdentity;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The host member's lasting parts, built once from its settings: the runtime (with its watchdog
 * for real processes), addresses, images, prober and logs. They live as long as the member, longer
 * than any spherelet incarnation, and are closed with it.
 */
final class HostAssembly implements AutoCloseable {

  final HostSettings host;
  final SphereletSettings settings;
  final RuntimeSettings runtimeSettings;
  final Watchdog watchdog;
  final ContainerRuntime runtime;
  final HostLogs logs;
  private final PodAgentSettings agentSettings;
  private final ImageService images;
  private final NetworkProber prober;
  private final PodAddresses addresses = new PodAddresses();

  private HostAssembly(Config config, MemberIdentity me, Executor blocking, Supplier<List<URI>> controlPlanes)
      throws IOException {
    host = HostSettings.fromConfig(config);
    settings = SphereletSettings.fromConfig(config);
    agentSettings = PodAgentSettings.fromConfig(config);
    RuntimeSettings rs = RuntimeSettings.fromConfig(config);
    // A relative data directory is the member's own: two hosts on one machine never share one.
    runtimeSettings = new RuntimeSettings(me.dataDir().resolve(rs.dataDir()), rs.logMaxBytes(), rs.logMaxFiles(),
        rs.simulatedStartDelay(), rs.simulatedFailureRate(), rs.watchdogPoll());
    var markers = new HostMarkers(settings.clusterId(me.dataDir()), me.name());
    switch (host.runtime()) {
      case "process" -> {
        watchdog = Watchdog.start(markers, runtimeSettings.dataDir(), runtimeSettings.watchdogPoll());
        runtime = new ProcessRuntime(runtimeSettings, markers, watchdog);
      }
      case "simulated" -> {
        watchdog = null;
        runtime = SimulatedRuntime.fromSettings(runtimeSettings);
      }
      default -> throw new IllegalArgumentException(
          "pacific.host.runtime must be process or simulated: '" + host.runtime() + "'");
    }
    images = new ImageService(imageSource(settings, controlPlanes), runtimeSettings.dataDir().resolve("images"));
    prober = new NetworkProber(blocking);
    logs = new HostLogs(runtimeSettings);
  }

  /** @param controlPlanes the control-plane members' HTTP base addresses as known now (the content library is there) */
  static HostAssembly build(Config config, MemberIdentity me, Executor blocking, Supplier<List<URI>> controlPlanes)
      throws IOException {
    return new HostAssembly(config, me, blocking, controlPlanes);
  }

  HostKit kit(Node node) {
    return new HostKit(node, runtime, watchdog, addresses, images, prober, Clock.systemUTC(), agentSettings, settings,
        logs);
  }

  private static ImageSource imageSource(SphereletSettings settings, Supplier<List<URI>> controlPlanes) {
    String spec = settings.imageSource();
    if (spec.isBlank()) {
      return new LibrarySource(controlPlanes, settings.imageFetchTimeout(), settings.imageFetchTimeout());
    }
    return spec.startsWith("http://") || spec.startsWith("https://")
        ? ImageSource.http(spec) : ImageSource.directory(Path.of(spec));
  }

  /** The member is going away: its pods stop with it (closing the watchdog's pipe kills what is left). */
  @Override
  public void close() {
    runtime.close();
    if (watchdog != null) {
      watchdog.close();
    }
  }
}
