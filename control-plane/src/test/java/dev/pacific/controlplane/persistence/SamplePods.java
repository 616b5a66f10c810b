package dev.pacific.controlplane.persistence;

import dev.pacific.api.Container;
import dev.pacific.api.IntOrString;
import dev.pacific.api.ObjectMeta;
import dev.pacific.api.Pod;
import dev.pacific.api.PodSpec;
import dev.pacific.api.PodStatus;
import dev.pacific.api.Probe;
import dev.pacific.api.ResourceList;
import dev.pacific.api.ResourceRequirements;
import java.util.List;
import java.util.Map;

/** Pods for the registry tests: a minimal one, and one with every kind of field the API has. */
public final class SamplePods {

  private SamplePods() {}

  public static Pod minimal(String namespace, String name) {
    return new Pod(ObjectMeta.named(namespace, name),
        PodSpec.of(List.of(Container.of("app", "registry.local/app:1")), "Always"), null);
  }

  /** Resources, probes (int and named ports), env, labels, a terminating status with containers. */
  public static Pod full(String namespace, String name) {
    Container c = new Container("web", "registry.local/web@sha256:abc", List.of("/bin/web"), List.of("--port", "8080"),
        "/srv", List.of(new Container.ContainerPort("http", null, 8080, "TCP", null)),
        List.of(new Container.EnvVar("MODE", "prod")),
        new ResourceRequirements(ResourceList.parse(Map.of("cpu", "1", "memory", "256Mi")),
            ResourceList.parse(Map.of("cpu", "250m", "memory", "128Mi"))),
        new Probe(null, new Probe.HTTPGetAction("/healthz", IntOrString.of("http"), null, "HTTP", List.of()),
            null, 1, 2, 3, 1, 3, null),
        new Probe(null, null, new Probe.TCPSocketAction(IntOrString.of(8080), null), null, null, 5, null, null, null),
        new Probe(new Probe.ExecAction(List.of("true")), null, null, null, null, null, null, 30, 10L), "IfNotPresent");
    ObjectMeta meta = new ObjectMeta(name, null, namespace, "0b7c6f5e-1", null, 2L, "2026-01-02T03:04:05Z",
        "2026-01-02T03:05:05Z", 30L, Map.of("app", "web"), Map.of("note", "x"), List.of("pacific.dev/stop"));
    PodSpec spec = new PodSpec(List.of(Container.of("init", "registry.local/init:1")), List.of(c), "OnFailure", 30L,
        600L, Map.of("zone", "a"), "host-1", "web-0", "default-scheduler", 5);
    PodStatus status = new PodStatus("Running",
        List.of(new PodStatus.PodCondition("PodScheduled", "True", null, "2026-01-02T03:04:06Z", null, null)),
        null, null, "127.0.0.1", "127.0.10.2", "2026-01-02T03:04:07Z",
        List.of(new PodStatus.ContainerStatus("web", new PodStatus.ContainerState(null,
            new PodStatus.Running("2026-01-02T03:04:08Z"), null),
            new PodStatus.ContainerState(null, null, new PodStatus.Terminated(1, null, "Error", "boom",
                "2026-01-02T03:04:07Z", "2026-01-02T03:04:07Z", "proc://1")),
            true, 1, "registry.local/web@sha256:abc", "sha256:abc", "proc://2", true)));
    return new Pod(meta, spec, status);
  }
}
