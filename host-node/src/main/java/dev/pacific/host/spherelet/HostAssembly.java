package dev.pacific.host.spherelet;

import com.typesafe.config.Config;
import dev.pacific.host.addresses.PodAddresses;
import dev.pacific.host.images.ImageService;
import dev.pacific.host.images.ImageSource;
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
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executor;

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

  private HostAssembly(Config config, MemberIdentity me, Executor blocking) throws IOException {
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
    images = new ImageService(imageSource(settings.imageSource()), runtimeSettings.dataDir().resolve("images"));
    prober = new NetworkProber(blocking);
    logs = new HostLogs(runtimeSettings);
  }

  static HostAssembly build(Config config, MemberIdentity me, Executor blocking) throws IOException {
    return new HostAssembly(config, me, blocking);
  }

  HostKit kit(Node node) {
    return new HostKit(node, runtime, watchdog, addresses, images, prober, Clock.systemUTC(), agentSettings, settings,
        logs);
  }

  private static ImageSource imageSource(String spec) {
    if (spec.isBlank()) {
      return image -> {
        throw new NoSuchFileException(image + ": this host has no image source "
            + "(set pacific.host.spherelet.image-source to a directory or an HTTP URL template)");
      };
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
