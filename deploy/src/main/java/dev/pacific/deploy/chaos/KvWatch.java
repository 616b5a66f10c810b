package dev.pacific.deploy.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A watch of the workload's keys ({@code /admin/v1/kv/{prefix}?watch=true&prefix=true}), resumed
 * after every break. It records every event as it came, so the checks can prove it saw each
 * committed change once, in revision order.
 */
final class KvWatch extends ResumingWatch {

  /** One event as it arrived; {@code seenNanos} is when it arrived ({@link System#nanoTime}). */
  record Event(String type, String key, String value, long modRevision, long version, long seenNanos) {}

  private final String api;
  private final String prefix;
  private final List<Event> events = new ArrayList<>();

  KvWatch(String api, String prefix, long fromRevision) {
    super("chaos-kv-watch", fromRevision);
    this.api = api;
    this.prefix = prefix;
    start();
  }

  @Override
  URI from(long revision) {
    return URI.create(api + Client.kvPath(prefix) + "?watch=true&prefix=true&revision=" + revision);
  }

  @Override
  long onEvent(String type, JsonNode o, long arrivedNanos) {
    long rev = o.path("modRevision").asLong(-1);
    synchronized (events) {
      events.add(new Event(type, o.path("key").asText(), o.path("value").asText(null), rev,
          o.path("version").asLong(-1), arrivedNanos));
    }
    return rev;
  }

  List<Event> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }
}
