package dev.pacific.controlplane.lb;

/** What the last probe said of a backend. */
public enum Health {
  /** {@code /readyz} answered 200: the member serves. */
  READY,
  /** {@code /readyz} refused but {@code /healthz} answered 200: used only when no backend is ready. */
  ALIVE,
  /** No answer, or a refused connection: no new connections until a probe succeeds. */
  DOWN
}
