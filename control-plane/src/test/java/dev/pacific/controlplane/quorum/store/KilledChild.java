package dev.pacific.controlplane.quorum.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a child JVM on the test classpath, reads the numbers it
 * prints as {@code ack N} after each durable write, and SIGKILLs it after a
 * given number of them: a crash with no shutdown hook and no close().
 */
final class KilledChild {

  private KilledChild() {
  }

  /** The last number the child acknowledged before it died. */
  static long runAndKill(Class<?> main, int acks, String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
        main.getName()));
    command.addAll(List.of(args));
    Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
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
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), main.getSimpleName() + " did not die");
    }
    assertTrue(seen >= acks, main.getSimpleName() + " stopped on its own after " + seen + " acknowledgements");
    return acked;
  }
}
