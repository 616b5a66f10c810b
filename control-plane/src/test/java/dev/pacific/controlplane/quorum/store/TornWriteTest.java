package dev.pacific.controlplane.quorum.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.controlplane.quorum.raft.Entry;
import dev.pacific.controlplane.quorum.raft.PersistedState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
      long acked = runAndKill(logDir, 400);
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

  /** Starts the appender, SIGKILLs it after {@code acks} acknowledgements, returns the last index it acknowledged. */
  private static long runAndKill(Path logDir, int acks) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
        LogAppender.class.getName(), logDir.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    long acked = 0;
    int seen = 0;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("ack ")) {
          acked = Long.parseLong(line.substring(4));
          if (++seen == acks) {
            child.toHandle().destroyForcibly(); // SIGKILL on Unix; keeps our end of its stdout open
          }
        }
      }
    } finally {
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "appender did not die");
    }
    assertTrue(seen >= acks, "the appender stopped on its own after " + seen + " acknowledgements");
    return acked;
  }
}
