package dev.pacific.controlplane.quorum.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.controlplane.quorum.raft.Entry;
import dev.pacific.controlplane.quorum.raft.PersistedState;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A member SIGKILLed in the middle of writing its log loses nothing it
 * acknowledged (an acknowledged append is a promise to the leader, Raft paper
 * §5.3) and leaves no gap: each save is one synced WriteBatch.
 */
class TornWriteTest {

  @Test
  void sigkillMidStreamLosesNoAcknowledgedEntryAndLeavesNoGap() throws Exception {
    Path dir = TempDirs.create("torn");
    try {
      Path logDir = dir.resolve("raft");
      long acked = KilledChild.runAndKill(LogAppender.class, 400, logDir.toString());
      try (LogStore log = LogStore.open(logDir)) {
        PersistedState p = log.load();
        assertTrue(log.lastIndex() >= acked, "acknowledged " + acked + " but only " + log.lastIndex() + " survived");
        long expected = 1;
        for (Entry e : p.entries()) {
          assertEquals(expected++, e.index());
          assertArrayEquals(LogAppender.payload(e.index()), e.data());
        }
        assertEquals(log.lastIndex(), expected - 1);
        System.out.println("torn-write: acknowledged " + acked + ", recovered " + log.lastIndex());
      }
    } finally {
      TempDirs.delete(dir);
    }
  }
}
