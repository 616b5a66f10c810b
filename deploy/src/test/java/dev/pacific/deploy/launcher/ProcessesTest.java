package dev.pacific.deploy.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessesTest {

  /**
   * Between fork and its last exec a member's command line is another program's (Java's spawn
   * helper, setsid): the launcher took such a member for one that had exited while starting.
   */
  @Test
  void aJustSpawnedProcessWithoutTheMarkerYetIsStartingNotAlive() throws Exception {
    Process p = new ProcessBuilder("sleep", "30").start();
    try {
      MemberSpec m = new MemberSpec("lb-1", "lb", p.pid(), 1, 2, "/nonexistent/lb-1", "/nonexistent/lb-1/member.log");
      assertFalse(Processes.alive(m), "alive() counts only a process carrying the member's marker");
      assertTrue(Processes.starting(m), "a process the launcher spawned is starting while it runs");
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      assertFalse(Processes.starting(m), "an exited process is not starting");
    } finally {
      p.destroyForcibly();
    }
  }
}
