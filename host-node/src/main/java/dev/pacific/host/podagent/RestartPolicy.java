package dev.pacific.host.podagent;

/** A pod's {@code restartPolicy}: which ended containers start again. */
enum RestartPolicy {
  ALWAYS, ON_FAILURE, NEVER;

  static RestartPolicy of(String name) {
    if (name == null) {
      return ALWAYS; // Kubernetes' default
    }
    return switch (name) {
      case "Always" -> ALWAYS;
      case "OnFailure" -> ON_FAILURE;
      case "Never" -> NEVER;
      default -> throw new IllegalArgumentException("restartPolicy is Always, OnFailure or Never: " + name);
    };
  }

  boolean restarts(int exitCode) {
    return switch (this) {
      case ALWAYS -> true;
      case ON_FAILURE -> exitCode != 0;
      case NEVER -> false;
    };
  }
}
