package dev.pacific.host.spherelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.wire.HostGatewayProtocol;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class GatewayChoiceTest {

  private static final ActorTestKit kit = ActorTestKit.create();
  private static final ActorRef<HostGatewayProtocol.Request> A = kit.<HostGatewayProtocol.Request>createTestProbe().getRef();
  private static final ActorRef<HostGatewayProtocol.Request> B = kit.<HostGatewayProtocol.Request>createTestProbe().getRef();
  private static final long SECOND = Duration.ofSeconds(1).toNanos();

  @AfterAll
  static void shutDown() {
    kit.shutdownTestKit();
  }

  @Test
  void hostsSpreadOverEveryListedGateway() {
    var choice = new GatewayChoice(Duration.ofSeconds(10), new Random(7));
    choice.listed(Set.of(A, B));
    Set<ActorRef<HostGatewayProtocol.Request>> picked = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      picked.add(choice.pickHealthy(0).orElseThrow());
    }
    assertEquals(Set.of(A, B), picked);
  }

  @Test
  void aGatewayThatFailedIsAvoidedForAWhileButIsBetterThanNone() {
    var choice = new GatewayChoice(Duration.ofSeconds(10), new Random(7));
    choice.listed(Set.of(A, B));
    choice.suspect(A, 0);
    for (int i = 0; i < 20; i++) {
      assertEquals(Optional.of(B), choice.pickHealthy(SECOND));
    }
    choice.suspect(B, 2 * SECOND);
    assertEquals(Optional.empty(), choice.pickHealthy(3 * SECOND));
    assertEquals(Optional.of(A), choice.pickAny(3 * SECOND), "the one that failed longest ago");
    assertTrue(Set.of(A, B).contains(choice.pickHealthy(13 * SECOND).orElseThrow()), "suspicion wears off");
  }

  @Test
  void nothingListedMeansNothingToPick() {
    var choice = new GatewayChoice(Duration.ofSeconds(10), new Random(7));
    assertEquals(Optional.empty(), choice.pickAny(0));
    choice.listed(Set.of(A));
    choice.listed(Set.of());
    assertEquals(Optional.empty(), choice.pickAny(0), "a gateway that left is forgotten");
  }
}
