package dev.pacific.host.runtime;

import java.time.Instant;

/**
 * How an instance ended, as Kubernetes' terminated state reports it: a process killed by a signal
 * exits {@code 128 + signal} (137 for SIGKILL); reason {@code Completed} for 0, {@code Error}
 * otherwise.
 */
public record ContainerExit(int exitCode, Integer signal, String reason, Instant finishedAt) {

  public static ContainerExit of(int exitCode, Instant finishedAt) {
    Integer signal = exitCode > 128 && exitCode < 128 + 65 ? exitCode - 128 : null;
    return new ContainerExit(exitCode, signal, exitCode == 0 ? "Completed" : "Error", finishedAt);
  }
}
