package dev.pacific.host.podagent;

/**
 * Kubernetes' thresholds over one probe's results: it passes after {@code successThreshold}
 * consecutive successes and fails after {@code failureThreshold} consecutive failures; in between
 * the last verdict stands.
 */
final class ProbeCounter {

  enum Verdict { PASS, FAIL, UNDECIDED }

  private final int successThreshold;
  private final int failureThreshold;
  private int successes;
  private int failures;

  ProbeCounter(Integer successThreshold, Integer failureThreshold) {
    this.successThreshold = successThreshold == null ? 1 : Math.max(1, successThreshold);
    this.failureThreshold = failureThreshold == null ? 3 : Math.max(1, failureThreshold);
  }

  Verdict record(boolean success) {
    if (success) {
      failures = 0;
      successes++;
      return successes >= successThreshold ? Verdict.PASS : Verdict.UNDECIDED;
    }
    successes = 0;
    failures++;
    return failures >= failureThreshold ? Verdict.FAIL : Verdict.UNDECIDED;
  }
}
