package dev.pacific.controlplane.api;

import dev.pacific.api.Node;
import dev.pacific.api.NodeAddress;
import dev.pacific.api.Pod;
import dev.pacific.api.Status;
import dev.pacific.api.codec.MediaFormat;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.RegistryReader;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.api.Container;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * {@code GET /api/v1/namespaces/{ns}/pods/{name}/log}, proxied to the pod's host as the API server
 * proxies to a kubelet: {@code http://<InternalIP>:<daemonEndpoints.kubeletEndpoint.Port>/containerLogs/
 * {ns}/{name}/{container}}, with {@code tailLines}, {@code limitBytes}, {@code previous} and
 * {@code follow} passed through and the body streamed (a followed log flows as the host writes it).
 * The container is the pod's only one, or must be named with {@code ?container=}.
 */
final class PodLogs {

  private static final List<String> PASSED = List.of("tailLines", "limitBytes", "previous", "follow");

  private final RegistryReader reader;
  private final ActorSystem<?> system;

  PodLogs(RegistryReader reader, ActorSystem<?> system) {
    this.reader = reader;
    this.system = system;
  }

  CompletionStage<HttpResponse> serve(ObjectRef pod, Map<String, String> query, MediaFormat format) {
    Optional<Status> bad = checkQuery(query);
    if (bad.isPresent()) {
      return done(Replies.status(bad.get(), format));
    }
    return reader.get(pod).thenCompose(record -> {
      Optional<Pod> found = record.map(r -> r.state().object()).filter(Pod.class::isInstance).map(Pod.class::cast);
      if (found.isEmpty()) {
        return done(Replies.status(Status.notFound("pods", pod.name()), format));
      }
      Pod p = found.get();
      String container;
      try {
        container = container(p, query.get("container"));
      } catch (IllegalArgumentException e) {
        return done(Replies.status(Parsed.badParameter("container", e.getMessage()), format));
      }
      String host = p.spec().nodeName();
      if (host == null) {
        return done(Replies.status(Status.failure(400, "BadRequest", "pod \"" + pod.name()
            + "\" does not have a host assigned yet: it has no logs"), format));
      }
      return reader.get(ObjectRef.cluster(ResourceKind.NODES, host)).thenCompose(node -> node
          .map(r -> r.state().object()).filter(Node.class::isInstance).map(Node.class::cast)
          .flatMap(PodLogs::endpoint)
          .map(base -> proxy(base + "/containerLogs/" + enc(pod.namespace()) + "/" + enc(pod.name()) + "/"
              + enc(container) + passed(query), host, format))
          .orElseGet(() -> done(Replies.status(Status.failure(503, "ServiceUnavailable", "host \"" + host
              + "\" has not said where it serves logs (not registered yet?); try again"), format))));
    }).exceptionally(failure -> Replies.status(Failures.status(failure), format));
  }

  /** The host's answer streamed through; its own Status for a 4xx, a 503 Status when it cannot be reached. */
  private CompletionStage<HttpResponse> proxy(String uri, String host, MediaFormat format) {
    return Http.get(system).singleRequest(HttpRequest.GET(uri)).thenApply(response -> {
      if (response.status().intValue() >= 500) {
        response.discardEntityBytes(system);
        return Replies.status(Status.failure(503, "ServiceUnavailable", "host \"" + host + "\" could not serve the"
            + " log (HTTP " + response.status().intValue() + "); try again"), format);
      }
      return HttpResponse.create().withStatus(response.status()).withEntity(response.entity());
    }).exceptionally(failure -> Replies.status(Status.failure(503, "ServiceUnavailable", "host \"" + host
        + "\" did not answer for the log: " + Failures.unwrap(failure).getMessage()), format));
  }

  /** The pod's only container, or the one named; a wrong or missing name is an error naming the choices. */
  static String container(Pod pod, String asked) {
    List<String> names = pod.spec().containers().stream().map(Container::name).toList();
    if (asked != null && !asked.isEmpty()) {
      if (!names.contains(asked)) {
        throw new IllegalArgumentException("container " + asked + " is not valid for pod " + pod.metadata().name()
            + ": choose one of " + names);
      }
      return asked;
    }
    if (names.size() == 1) {
      return names.get(0);
    }
    throw new IllegalArgumentException("a container name must be specified for pod " + pod.metadata().name()
        + ", choose one of: " + names);
  }

  private static Optional<Status> checkQuery(Map<String, String> query) {
    for (String name : List.of("tailLines", "limitBytes")) {
      String v = query.get(name);
      if (v != null && !v.isEmpty() && !v.matches("\\d{1,18}")) {
        return Optional.of(Parsed.badParameter(name, "must be a whole number of 0 or more, not \"" + v + "\""));
      }
    }
    for (String name : List.of("previous", "follow")) {
      String v = query.get(name);
      if (v != null && !v.isEmpty() && !v.equals("true") && !v.equals("false")) {
        return Optional.of(Parsed.badParameter(name, "must be true or false, not \"" + v + "\""));
      }
    }
    return Optional.empty();
  }

  private static Optional<String> endpoint(Node node) {
    if (node.status() == null || node.status().daemonEndpoints() == null
        || node.status().daemonEndpoints().kubeletEndpoint() == null) {
      return Optional.empty();
    }
    int port = node.status().daemonEndpoints().kubeletEndpoint().port();
    return node.status().addresses().stream().filter(a -> "InternalIP".equals(a.type())).map(NodeAddress::address)
        .findFirst().filter(ip -> port > 0).map(ip -> "http://" + (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port);
  }

  private static String passed(Map<String, String> query) {
    StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
    for (String name : PASSED) {
      String v = query.get(name);
      if (v != null && !v.isEmpty()) {
        q.add(name + "=" + enc(v));
      }
    }
    return q.toString();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static CompletionStage<HttpResponse> done(HttpResponse r) {
    return CompletableFuture.completedFuture(r);
  }
}
