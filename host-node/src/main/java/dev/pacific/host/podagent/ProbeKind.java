package dev.pacific.host.podagent;

import dev.pacific.api.Container;
import dev.pacific.api.Probe;

/** Kubernetes' three probes, and what each does when it fails. */
enum ProbeKind {
  /** Until it succeeds the others do not run; failing it kills the container. */
  STARTUP,
  /** Failing it kills the container, which then restarts as its restart policy says. */
  LIVENESS,
  /** Failing it only takes the container (and the pod) out of Ready. */
  READINESS;

  Probe of(Container c) {
    return switch (this) {
      case STARTUP -> c.startupProbe();
      case LIVENESS -> c.livenessProbe();
      case READINESS -> c.readinessProbe();
    };
  }

  String label() {
    return switch (this) {
      case STARTUP -> "Startup";
      case LIVENESS -> "Liveness";
      case READINESS -> "Readiness";
    };
  }
}
