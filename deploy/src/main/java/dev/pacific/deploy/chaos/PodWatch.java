package dev.pacific.deploy.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A watch of the workload's namespace's pods
 * ({@code /api/v1/namespaces/chaos/pods?watch=true&resourceVersion=N}), resumed after every break
 * from the last resourceVersion seen, as an informer does. Records every event, so the checks can
 * prove it saw every acknowledged create and delete, in resourceVersion order, ending at each
 * pod's current state.
 */
final class PodWatch extends ResumingWatch {

  /** One event: the pod's name, uid, resourceVersion, phase and host as the event carried them. */
  record Event(String type, String name, String uid, long resourceVersion, String phase, String nodeName) {}

  private final String api;
  private final List<Event> events = new ArrayList<>();

  PodWatch(String api, long fromResourceVersion) {
    super("chaos-pod-watch", fromResourceVersion);
    this.api = api;
    start();
  }

  @Override
  URI from(long revision) {
    return URI.create(api + "/api/v1/namespaces/" + PodWorkload.NAMESPACE + "/pods?watch=true&resourceVersion="
        + revision);
  }

  @Override
  long onEvent(String type, JsonNode pod, long arrivedNanos) {
    JsonNode meta = pod.path("metadata");
    long rv = Long.parseLong(meta.path("resourceVersion").asText("-1"));
    synchronized (events) {
      events.add(new Event(type, meta.path("name").asText(), meta.path("uid").asText(), rv,
          pod.path("status").path("phase").asText(""), pod.path("spec").path("nodeName").asText("")));
    }
    return rv;
  }

  List<Event> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }
}
