package dev.pacific.deploy.launcher;

/**
 * A failure the user can act on: its message is printed as is, without a stack trace.
 * {@link #usage} marks a wrong command line (exit code 2), anything else fails the command (1).
 */
public final class LauncherException extends RuntimeException {

  private final boolean usage;

  public LauncherException(String message) {
    this(message, false);
  }

  private LauncherException(String message, boolean usage) {
    super(message);
    this.usage = usage;
  }

  public static LauncherException usage(String message) {
    return new LauncherException(message, true);
  }

  public int exitCode() {
    return usage ? 2 : 1;
  }
}
