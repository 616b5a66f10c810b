package dev.pacific.membership;

import dev.pacific.wire.WireMessage;
import java.util.Map;

/**
 * What a member tells the cluster about itself: the cluster only knows a member's remoting
 * address, so its name, role and HTTP port travel on this card.
 *
 * @param capacity for hosts: what the host offers, as Kubernetes quantity strings
 *     ({@code cpu}, {@code memory}, {@code pods}); empty for other roles
 * @param startedAt RFC 3339 time the member started (a Node's creationTimestamp)
 */
public record MemberCard(
    String name,
    String role,
    String host,
    int remotingPort,
    int httpPort,
    Map<String, String> capacity,
    Map<String, String> labels,
    String startedAt) implements WireMessage {

  public static final String CONTROL_PLANE = "control-plane";
  public static final String HOST = "host";
  public static final String LB = "lb";

  public MemberCard {
    capacity = capacity == null ? Map.of() : Map.copyOf(capacity);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  /** The {@code host:port} of the member's remoting endpoint, as in a Pekko address. */
  public String remotingEndpoint() {
    return host + ":" + remotingPort;
  }
}
