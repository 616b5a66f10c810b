package dev.pacific.deploy;

import dev.pacific.deploy.launcher.ClusterFile;
import dev.pacific.deploy.launcher.Distribution;
import dev.pacific.deploy.launcher.Launcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real multi-JVM cluster for one test class, launched through the same {@link Launcher} the
 * {@code pacific} command uses, from the packaged build. Whatever happens, {@link #close} (and a
 * JVM shutdown hook, should the test JVM itself be stopped) kills every process it started.
 */
final class TestCluster implements AutoCloseable {

  final Path dir;
  final Launcher launcher;
  ClusterFile file;
  private final Thread killer;

  TestCluster(String name, int controlPlanes, int hosts) throws IOException {
    this(name, controlPlanes, hosts, List.of());
  }

  /** {@code settings}: extra {@code key=value} settings every member gets (e.g. a small snapshot interval). */
  TestCluster(String name, int controlPlanes, int hosts, List<String> settings) throws IOException {
    dir = Files.createTempDirectory("pacific-it-" + name + "-");
    launcher = new Launcher(dir, Distribution.fromSystemProperty(), System.out);
    killer = new Thread(this::killEverything, "kill-" + name);
    Runtime.getRuntime().addShutdownHook(killer);
    try {
      // A member that fails to report its start dies within the test, not after it; 20 s was too short on a
      // shared 2-core machine under a load of 30, where a restarted member took longer to bind its listener.
      List<String> all = new java.util.ArrayList<>(List.of("pacific.deploy.start-timeout=60s"));
      all.addAll(settings);
      file = launcher.up(new Launcher.UpOptions(controlPlanes, hosts, "process", "256m", Duration.ofSeconds(300),
          all));
    } catch (RuntimeException | IOException e) {
      close();
      throw e;
    }
  }

  String api() {
    return file.api();
  }

  /** Every live process whose command line names this cluster's directory. */
  List<ProcessHandle> strays() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(dir.toString())).orElse(false))
        .toList();
  }

  private void killEverything() {
    strays().forEach(ProcessHandle::destroyForcibly);
  }

  /** Keeps every member's log under target/it-logs/<cluster dir>/ so a failed run can be read afterwards. */
  private void keepLogs() {
    Path into = Path.of("target", "it-logs", dir.getFileName().toString());
    launcher.cluster().ifPresent(c -> c.nodes().forEach(m -> {
      try {
        Files.createDirectories(into);
        Files.copy(Path.of(m.log()), into.resolve(m.name() + ".log"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        System.out.println("could not keep the log of " + m.name() + ": " + e);
      }
    }));
  }

  @Override
  public void close() throws IOException {
    try {
      keepLogs();
      launcher.destroy();
    } finally {
      killEverything();
      try {
        Runtime.getRuntime().removeShutdownHook(killer);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook runs anyway
      }
    }
  }
}
