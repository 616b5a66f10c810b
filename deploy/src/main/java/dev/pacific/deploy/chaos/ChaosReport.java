package dev.pacific.deploy.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What one chaos run did and found: the faults with their times, operations per kind and
 * outcome, errors met while injecting and healing, the longest write outage and the longest time
 * a pod went without a host, and every end check. Printed as text and written as
 * {@code report.json} in the run directory.
 */
public record ChaosReport(
    long seed, int controlPlanes, int hosts, String runDir, double seconds,
    List<FaultInjector.Injected> faults, Map<String, Long> faultsByKind,
    Map<String, Long> operations, Map<String, Long> operationsByKind,
    List<String> errors, Outage longestWriteOutage, PodOutage longestPodWithoutHost,
    List<Check> checks, boolean passed) {

  /** The longest stretch without an acknowledged write, and when it began (seconds into the run). */
  public record Outage(double fromSecond, long millis) {}

  /** The longest time one pod's processes were seen nowhere, between two sightings. */
  public record PodOutage(String podUid, double fromSecond, long millis) {}

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public void write(Path file) throws IOException {
    JSON.writeValue(file.toFile(), this);
  }

  public void print(PrintStream out) {
    out.println("==== chaos report: seed " + seed + ", " + controlPlanes + " control-plane, " + hosts + " hosts, "
        + String.format("%.0f s", seconds) + " (" + runDir + ")");
    out.println("faults: " + faults.size() + " " + faultsByKind);
    for (FaultInjector.Injected f : faults) {
      out.printf("  %7.1f s  %-14s %-7s hold %5d ms, settled %6d ms later %s%n", f.atMillis() / 1000.0, f.kind(),
          f.member(), f.holdMillis(), f.settledAfterMillis(), f.note());
    }
    out.println("operations: " + operationsByKind);
    out.println("outcomes:   " + operations);
    out.printf("longest write outage: %d ms (from %.1f s)%n", longestWriteOutage.millis(),
        longestWriteOutage.fromSecond());
    out.printf("longest time a pod went without a host: %d ms (pod %s, from %.1f s)%n", longestPodWithoutHost.millis(),
        longestPodWithoutHost.podUid(), longestPodWithoutHost.fromSecond());
    out.println("errors: " + (errors.isEmpty() ? "none" : errors.size()));
    errors.forEach(e -> out.println("  " + e));
    for (Check c : checks) {
      out.println((c.passed() ? "  PASS " : "  FAIL ") + c.name() + ": " + c.detail());
    }
    out.println(passed ? "==== chaos: every check passed" : "==== chaos: FAILED");
  }
}
