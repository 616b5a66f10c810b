package dev.pacific.host.runtime;

/** How a start went: a running instance, or why there is none. */
public sealed interface StartResult {

  record Started(RunningContainer container) implements StartResult {}

  /**
   * Kubernetes reports a container whose process could not be created as terminated with reason
   * {@code StartError} and exit code 128; {@code message} tells the user what to fix.
   */
  record Failed(String reason, String message) implements StartResult {}
}
