package dev.pacific.host.podagent;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Kubernetes writes status times as RFC 3339 in whole seconds (metav1.Time). */
final class Timestamps {

  private Timestamps() {}

  static String of(Instant at) {
    return at.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
