package dev.pacific.controlplane.quorum;

import static dev.pacific.controlplane.quorum.TestQuorum.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Members over LevelDB compact their logs to a marker (the store holds the state itself) and make an image only for
 * a follower that needs one: a member stopped while the others compacted past its log comes back by InstallSnapshot
 * of an image made then, and ends with the same state.
 */
class CompactionMarkerTest {

  @Test
  void aLaggingMemberCatchesUpFromAnImageMadeWhenItNeedsOne() throws Exception {
    try (TestQuorum q = TestQuorum.onLevelDb(MonotonicClock.SYSTEM, "", 50).startAll()) {
      String leader = q.awaitLeader(Duration.ofSeconds(20));
      assertNotNull(leader);
      String lagging = TestQuorum.NAMES.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
      q.stop(lagging);
      QuorumKv kv = q.kv(leader);
      for (int i = 0; i < 300; i++) {
        await(kv.put(("key-" + (i % 40)).getBytes(StandardCharsets.UTF_8), ("v" + i).getBytes(StandardCharsets.UTF_8),
            OptionalLong.empty()));
      }
      var compacted = q.member(leader).storage().log().load().snapshot();
      assertTrue(compacted.index() >= 250, "the leader compacted its log: " + compacted);
      assertFalse(compacted.hasImage(), "to a marker, not an image: " + compacted);

      long restarted = System.nanoTime();
      q.startOnLevelDb(lagging);
      String hash = q.awaitSameState(Duration.ofSeconds(30));
      System.out.printf("a member behind a compacted log caught up in %d ms (state %s)%n",
          (System.nanoTime() - restarted) / 1_000_000, hash.substring(0, 12));
      var installed = q.member(lagging).storage().log().load().snapshot();
      assertTrue(installed.index() >= compacted.index(), "it installed an image: " + installed);
      assertArrayEquals("v299".getBytes(StandardCharsets.UTF_8), await(q.kv(lagging).get(
          "key-19".getBytes(StandardCharsets.UTF_8))).orElseThrow().value());
      assertEquals(hash, q.member(leader).machine().stateHash());
    }
  }
}
