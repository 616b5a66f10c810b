package dev.pacific.deploy;

import dev.pacific.deploy.launcher.ClusterFile;
import dev.pacific.deploy.launcher.MemberSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * When a wait fails, each live member's threads are appended to its own log (kept under
 * target/it-logs), so that a member that answers its status but does nothing else can be read
 * afterwards: which threads are blocked, and on what.
 */
final class ThreadDumps {

  private ThreadDumps() {}

  static void appendToLogs(ClusterFile cluster) {
    for (MemberSpec m : cluster.nodes()) {
      if (!ProcessHandle.of(m.pid()).map(ProcessHandle::isAlive).orElse(false)) {
        continue;
      }
      try {
        Process p = new ProcessBuilder("jcmd", String.valueOf(m.pid()), "Thread.print")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of(m.log()).toFile()))
            .start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (IOException e) {
        System.out.println("no thread dump of " + m.name() + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
