package dev.pacific.host.spherelet;

import dev.pacific.wire.HostGatewayProtocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Which control-plane gateway to talk to: any reachable one the Receptionist lists, at random so
 * that hosts spread over the control plane, skipping those that failed lately while there are
 * others. A failed one is still better than none: when every gateway failed lately, the one that
 * failed longest ago is tried again.
 */
final class GatewayChoice {

  private final Duration suspectFor;
  private final Random random;
  private List<ActorRef<HostGatewayProtocol.Request>> listed = List.of();
  private final Map<ActorRef<HostGatewayProtocol.Request>, Long> suspectSince = new HashMap<>();

  GatewayChoice(Duration suspectFor, Random random) {
    this.suspectFor = suspectFor;
    this.random = random;
  }

  void listed(Set<ActorRef<HostGatewayProtocol.Request>> reachable) {
    listed = new ArrayList<>(reachable);
    listed.sort(Comparator.comparing(ActorRef::toString)); // a stable order keeps the seeded choice repeatable
    suspectSince.keySet().retainAll(reachable);
  }

  void suspect(ActorRef<HostGatewayProtocol.Request> gateway, long nowNanos) {
    suspectSince.put(gateway, nowNanos);
  }

  boolean knowsAny() {
    return !listed.isEmpty();
  }

  /** A listed gateway that has not failed lately, at random; empty when there is none. */
  Optional<ActorRef<HostGatewayProtocol.Request>> pickHealthy(long nowNanos) {
    suspectSince.values().removeIf(since -> nowNanos - since >= suspectFor.toNanos());
    List<ActorRef<HostGatewayProtocol.Request>> healthy =
        listed.stream().filter(g -> !suspectSince.containsKey(g)).toList();
    return healthy.isEmpty() ? Optional.empty() : Optional.of(healthy.get(random.nextInt(healthy.size())));
  }

  /** A healthy gateway if there is one, else the one that failed longest ago. */
  Optional<ActorRef<HostGatewayProtocol.Request>> pickAny(long nowNanos) {
    Optional<ActorRef<HostGatewayProtocol.Request>> healthy = pickHealthy(nowNanos);
    return healthy.isPresent() ? healthy : listed.stream().min(Comparator.comparingLong(suspectSince::get));
  }
}
