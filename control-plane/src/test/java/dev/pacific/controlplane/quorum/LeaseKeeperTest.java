package dev.pacific.controlplane.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.controlplane.quorum.store.KvResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The leader's lease deadlines: a lease past its deadline, its revoke proposed or not yet, is no longer renewable
 * (a renewal acknowledged then would let its holder run on while the revoke deletes its keys), until a new
 * leadership restarts every deadline or the log grants it again.
 */
class LeaseKeeperTest {

  @Test
  void aLeasePastItsDeadlineCannotBeRenewedUntilTheDeadlinesRestart() {
    FakeClock clock = new FakeClock();
    LeaseKeeper keeper = new LeaseKeeper(clock, Duration.ofSeconds(1).toNanos());
    keeper.restartAll(Map.of(7L, 1_000L));
    clock.advance(Duration.ofMillis(999));
    assertFalse(keeper.expiredAlready(7), "1 ms before its deadline");
    clock.advance(Duration.ofMillis(2));
    assertTrue(keeper.expiredAlready(7), "past its deadline, before the leader's tick proposed the revoke");
    assertEquals(List.of(7L), keeper.expired());
    clock.advance(Duration.ofMillis(10));
    assertTrue(keeper.expiredAlready(7), "its revoke proposed (the deadline moved on by the retry)");
    keeper.restartAll(Map.of(7L, 1_000L));
    assertFalse(keeper.expiredAlready(7), "a new leadership gives every lease a full TTL again");
    clock.advance(Duration.ofMillis(1_500));
    assertEquals(List.of(7L), keeper.expired());
    keeper.applied(new KvResult.LeaseResult(7, 1_000, 3));
    assertFalse(keeper.expiredAlready(7), "a keep-alive through the log restarts it");
    keeper.applied(new KvResult.LeaseRevoked(7, 1, 4));
    assertFalse(keeper.expiredAlready(7), "revoked: the store answers that it does not exist");
    assertEquals(List.of(), keeper.expired());
  }
}
