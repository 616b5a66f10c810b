package dev.pacific.api.defaulting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.pacific.api.Container;
import dev.pacific.api.IntOrString;
import dev.pacific.api.Namespace;
import dev.pacific.api.ObjectMeta;
import dev.pacific.api.Pod;
import dev.pacific.api.PodSpec;
import dev.pacific.api.Probe;
import dev.pacific.api.Quantity;
import dev.pacific.api.ResourceList;
import dev.pacific.api.ResourceRequirements;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultsTest {

  @Test
  void podGetsKubernetesDefaultsForWhatIsAbsent() {
    Container c = new Container("app", "nginx", List.of(), List.of(), null,
        List.of(Container.ContainerPort.of(80)), List.of(),
        new ResourceRequirements(ResourceList.parse(Map.of("cpu", "1", "memory", "1Gi")),
            ResourceList.parse(Map.of("cpu", "500m"))),
        new Probe(null, new Probe.HTTPGetAction(null, IntOrString.of(80), null, null, List.of()), null,
            null, null, null, null, null, null),
        null, null, null);
    Pod pod = Defaults.pod(new Pod(ObjectMeta.named("default", "web"), PodSpec.of(List.of(c), null), null));

    PodSpec spec = pod.spec();
    assertEquals("Always", spec.restartPolicy());
    assertEquals(30L, spec.terminationGracePeriodSeconds());
    Container app = spec.containers().get(0);
    assertEquals("Always", app.imagePullPolicy());
    assertEquals("TCP", app.ports().get(0).protocol());
    assertEquals(Quantity.parse("500m"), app.resources().requests().get("cpu"));
    assertEquals(Quantity.parse("1Gi"), app.resources().requests().get("memory"));
    Probe p = app.livenessProbe();
    assertEquals("/", p.httpGet().path());
    assertEquals("HTTP", p.httpGet().scheme());
    assertEquals(List.of(1, 10, 1, 3), List.of(p.timeoutSeconds(), p.periodSeconds(), p.successThreshold(),
        p.failureThreshold()));
  }

  @Test
  void whatTheClientSetIsKept() {
    PodSpec spec = new PodSpec(List.of(), List.of(Container.of("app", "nginx:1.25")), "Never", 5L, null,
        Map.of(), null, null, null, null);
    PodSpec defaulted = Defaults.spec(spec);
    assertEquals("Never", defaulted.restartPolicy());
    assertEquals(5L, defaulted.terminationGracePeriodSeconds());
    assertEquals(Defaults.spec(defaulted), defaulted);
  }

  @Test
  void pullPolicyFollowsTheTag() {
    assertEquals("Always", Defaults.pullPolicy("nginx"));
    assertEquals("Always", Defaults.pullPolicy("registry:5000/team/app:latest"));
    assertEquals("IfNotPresent", Defaults.pullPolicy("registry:5000/team/app:v2"));
    assertEquals("Always", Defaults.pullPolicy("registry:5000/team/app"));
    assertEquals("IfNotPresent", Defaults.pullPolicy("app@sha256:abc"));
  }

  @Test
  void namespacesStartActiveWithTheKubernetesFinalizer() {
    Namespace ns = Defaults.namespace(Namespace.named("team-a"));
    assertEquals(List.of("kubernetes"), ns.spec().finalizers());
    assertEquals("Active", ns.status().phase());
    assertSame(ns.spec(), Defaults.namespace(ns).spec());
  }
}
