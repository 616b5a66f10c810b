package dev.pacific.host.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds live processes by their markers in {@code /proc/PID/environ}. Zombies have an empty
 * environment and do not count: they run nothing. Only processes of the same user are readable,
 * which is every process a host starts.
 */
public final class MarkedProcesses {

  private MarkedProcesses() {}

  /** Processes whose environment holds every one of {@code vars} ({@code NAME=value} each). */
  public static List<Long> withAll(List<String> vars) {
    List<Long> found = new ArrayList<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        if (environHasAll(proc.resolve("environ"), vars)) {
          found.add(Long.parseLong(proc.getFileName().toString()));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
    }
    return found;
  }

  /** Every live process of one host. */
  public static List<Long> ofHost(HostMarkers markers) {
    return withAll(List.of(HostMarkers.CLUSTER + "=" + markers.cluster(), HostMarkers.HOST + "=" + markers.host()));
  }

  /** Every live process of one pod on one host. */
  public static List<Long> ofPod(HostMarkers markers, String podUid) {
    return withAll(List.of(HostMarkers.CLUSTER + "=" + markers.cluster(), HostMarkers.HOST + "=" + markers.host(),
        HostMarkers.POD_UID + "=" + podUid));
  }

  private static boolean environHasAll(Path environ, List<String> vars) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(environ);
    } catch (IOException | SecurityException e) {
      return false; // gone meanwhile, or another user's
    }
    List<String> entries = List.of(new String(bytes, StandardCharsets.UTF_8).split("\0"));
    return entries.containsAll(vars);
  }
}
