package dev.pacific.host.spherelet;

import dev.pacific.api.Node;
import dev.pacific.api.NodeAddress;
import dev.pacific.host.addresses.PodAddresses;
import dev.pacific.host.images.ImageService;
import dev.pacific.host.podagent.PodAgentSettings;
import dev.pacific.host.podagent.Prober;
import dev.pacific.host.runtime.ContainerRuntime;
import dev.pacific.host.runtime.Watchdog;
import java.time.Clock;

/**
 * What the spherelet's actors work with. Everything here outlives them: when the spherelet
 * restarts (its supervisor restarts it after a failure), the runtime still runs the pods, the
 * addresses are still held and the watchdog still guards them, so the new spherelet adopts
 * instead of starting second copies.
 *
 * @param node what the host registers: name, labels, capacity, addresses, HTTP port
 * @param watchdog the process runtime's watchdog; null for the simulated runtime
 */
public record HostKit(
    Node node,
    ContainerRuntime runtime,
    Watchdog watchdog,
    PodAddresses addresses,
    ImageService images,
    Prober prober,
    Clock clock,
    PodAgentSettings agentSettings,
    SphereletSettings settings,
    HostLogs logs) {

  public String hostName() {
    return node.metadata().name();
  }

  /** The host's InternalIP, reported as each pod's {@code status.hostIP}. */
  public String hostIp() {
    return node.status().addresses().stream().filter(a -> "InternalIP".equals(a.type())).map(NodeAddress::address)
        .findFirst().orElse(null);
  }
}
