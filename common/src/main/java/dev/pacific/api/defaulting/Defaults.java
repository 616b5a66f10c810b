package dev.pacific.api.defaulting;

import dev.pacific.api.Container;
import dev.pacific.api.Namespace;
import dev.pacific.api.Pod;
import dev.pacific.api.PodSpec;
import dev.pacific.api.Probe;
import dev.pacific.api.Quantity;
import dev.pacific.api.ResourceList;
import dev.pacific.api.ResourceRequirements;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' defaulting of core v1 objects ({@code pkg/apis/core/v1/defaults.go}) for the fields
 * Pacific has, applied after decoding and before validation, so stored objects read back the way a
 * Kubernetes API server returns them. Only absent fields are filled; nothing a client set changes.
 */
public final class Defaults {

  /** Kubernetes' {@code DefaultTerminationGracePeriodSeconds}. */
  public static final long TERMINATION_GRACE_PERIOD_SECONDS = 30;

  private Defaults() {}

  public static Pod pod(Pod pod) {
    return pod.spec() == null ? pod : pod.withSpec(spec(pod.spec()));
  }

  public static PodSpec spec(PodSpec s) {
    return new PodSpec(
        s.initContainers().stream().map(Defaults::container).toList(),
        s.containers().stream().map(Defaults::container).toList(),
        s.restartPolicy() == null ? "Always" : s.restartPolicy(),
        s.terminationGracePeriodSeconds() == null ? TERMINATION_GRACE_PERIOD_SECONDS : s.terminationGracePeriodSeconds(),
        s.activeDeadlineSeconds(), s.nodeSelector(), s.nodeName(), s.hostname(), s.schedulerName(), s.priority());
  }

  /** Namespaces are created Active with the {@code kubernetes} finalizer, as Kubernetes does. */
  public static Namespace namespace(Namespace ns) {
    Namespace.Spec spec = ns.spec() == null || ns.spec().finalizers().isEmpty()
        ? new Namespace.Spec(List.of("kubernetes")) : ns.spec();
    Namespace.Status status = ns.status() == null || ns.status().phase() == null
        ? new Namespace.Status("Active") : ns.status();
    return new Namespace(ns.apiVersion(), ns.kind(), ns.metadata(), spec, status);
  }

  static Container container(Container c) {
    return new Container(c.name(), c.image(), c.command(), c.args(), c.workingDir(),
        c.ports().stream().map(Defaults::port).toList(), c.env(), resources(c.resources()),
        probe(c.livenessProbe()), probe(c.readinessProbe()), probe(c.startupProbe()),
        c.imagePullPolicy() == null ? pullPolicy(c.image()) : c.imagePullPolicy());
  }

  /** {@code :latest} or no tag means "Always", anything else "IfNotPresent" (a digest pins the image). */
  static String pullPolicy(String image) {
    if (image == null || image.contains("@")) {
      return "IfNotPresent";
    }
    String last = image.substring(image.lastIndexOf('/') + 1);
    int colon = last.lastIndexOf(':');
    return colon < 0 || last.substring(colon + 1).equals("latest") ? "Always" : "IfNotPresent";
  }

  private static Container.ContainerPort port(Container.ContainerPort p) {
    return p.protocol() != null ? p
        : new Container.ContainerPort(p.name(), p.hostPort(), p.containerPort(), "TCP", p.hostIP());
  }

  /** A resource with a limit and no request is requested at its limit (Kubernetes' SetDefaults_Pod). */
  static ResourceRequirements resources(ResourceRequirements r) {
    if (r == null || r.limits().isEmpty()) {
      return r;
    }
    Map<String, Quantity> requests = new LinkedHashMap<>(r.requests());
    r.limits().forEach(requests::putIfAbsent);
    return new ResourceRequirements(r.limits(), ResourceList.of(requests));
  }

  /** Kubernetes' probe defaults: timeout 1 s, period 10 s, success 1, failure 3; HTTP GET of "/". */
  static Probe probe(Probe p) {
    if (p == null) {
      return null;
    }
    Probe.HTTPGetAction http = p.httpGet();
    if (http != null) {
      http = new Probe.HTTPGetAction(http.path() == null ? "/" : http.path(), http.port(), http.host(),
          http.scheme() == null ? "HTTP" : http.scheme(), http.httpHeaders());
    }
    return new Probe(p.exec(), http, p.tcpSocket(), p.initialDelaySeconds(),
        or(p.timeoutSeconds(), 1), or(p.periodSeconds(), 10), or(p.successThreshold(), 1),
        or(p.failureThreshold(), 3), p.terminationGracePeriodSeconds());
  }

  private static Integer or(Integer value, int fallback) {
    return value == null || value == 0 ? fallback : value;
  }
}
