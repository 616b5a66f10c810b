package dev.pacific.controlplane.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackendTableTest {

  private static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 1);
  private static final InetSocketAddress B = new InetSocketAddress("127.0.0.1", 2);
  private static final InetSocketAddress C = new InetSocketAddress("127.0.0.1", 3);

  private static BackendTable table(Health health, InetSocketAddress... backends) {
    BackendTable t = new BackendTable();
    t.setBackends(Set.of(backends));
    for (InetSocketAddress b : backends) {
      t.health(b, health);
    }
    return t;
  }

  @Test
  void theBackendWithFewestOpenConnectionsIsChosen() {
    BackendTable t = table(Health.READY, A, B, C);
    t.opened(A);
    t.opened(A);
    t.opened(C);
    assertEquals(Optional.of(B), t.pick(Set.of()));
  }

  @Test
  void equalBackendsTakeTurns() {
    BackendTable t = table(Health.READY, A, B, C);
    Map<InetSocketAddress, Integer> chosen = new HashMap<>();
    for (int i = 0; i < 30; i++) {
      chosen.merge(t.pick(Set.of()).orElseThrow(), 1, Integer::sum);
    }
    assertEquals(Map.of(A, 10, B, 10, C, 10), chosen);
  }

  @Test
  void aReadyBackendIsPreferredToAnAliveOne() {
    BackendTable t = table(Health.ALIVE, A, B);
    t.health(B, Health.READY);
    t.opened(B);
    t.opened(B);
    assertEquals(Optional.of(B), t.pick(Set.of()), "ready wins even with more connections");
  }

  @Test
  void aliveBackendsServeOnlyWhenNoneIsReady() {
    BackendTable t = table(Health.ALIVE, A);
    t.setBackends(Set.of(A, B));
    t.health(B, Health.DOWN);
    assertEquals(Optional.of(A), t.pick(Set.of()));
  }

  @Test
  void downAndExcludedBackendsAreNeverChosen() {
    BackendTable t = table(Health.READY, A, B);
    t.health(A, Health.DOWN);
    assertEquals(Optional.of(B), t.pick(Set.of()));
    assertEquals(Optional.empty(), t.pick(Set.of(B)));
  }

  @Test
  void countsNeverGoNegativeAndRemovedBackendsAreForgotten() {
    BackendTable t = table(Health.READY, A, B);
    t.closed(A);
    assertEquals(0, t.entries().get(A).open);
    t.opened(B);
    t.setBackends(Set.of(A));
    t.closed(B);
    assertTrue(t.entries().keySet().equals(Set.of(A)));
  }
}
