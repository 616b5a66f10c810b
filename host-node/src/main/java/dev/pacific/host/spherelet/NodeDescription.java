package dev.pacific.host.spherelet;

import dev.pacific.api.Node;
import dev.pacific.api.NodeAddress;
import dev.pacific.api.NodeCondition;
import dev.pacific.api.ObjectMeta;
import dev.pacific.membership.MemberIdentity;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Node a host registers, as a kubelet describes its node. */
final class NodeDescription {

  private NodeDescription() {}

  /**
   * Named after the member; labelled with the configured labels plus Kubernetes' hostname label
   * and the runtime; capacity from {@code --cpu/--memory/--max-pods}, all of it allocatable (no
   * system reservation on a host that only runs pods); the member's address and HTTP port, where
   * the control plane proxies {@code pods/log}. Ready is what the host says of itself; the
   * control plane's host lifecycle controller decides what the Node shows.
   */
  static Node of(MemberIdentity me, HostSettings host, int httpPort, Instant now) {
    Map<String, String> labels = new LinkedHashMap<>(host.labels());
    labels.put("kubernetes.io/hostname", me.name());
    labels.put("pacific.dev/runtime", host.runtime());
    String since = now.truncatedTo(ChronoUnit.SECONDS).toString();
    var meta = ObjectMeta.named(me.name()).withLabels(labels)
        .withCreationTimestamp(me.startedAt().truncatedTo(ChronoUnit.SECONDS).toString());
    var ready = new NodeCondition("Ready", "True", since, since, "SphereletReady", "spherelet is posting ready status");
    var status = new Node.Status(host.capacity(), host.capacity(), List.of(ready),
        List.of(new NodeAddress("InternalIP", me.host()), new NodeAddress("Hostname", me.name())),
        new Node.DaemonEndpoints(new Node.KubeletEndpoint(httpPort)));
    return new Node(meta, new Node.Spec(false), status);
  }
}
