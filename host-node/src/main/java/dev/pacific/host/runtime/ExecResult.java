package dev.pacific.host.runtime;

/** What an exec beside a container gave: its exit code and the start of its output. */
public record ExecResult(Outcome outcome, int exitCode, String output) {

  /** A probe treats a time-out as a failure, and a command that could not start as an error. */
  public enum Outcome { EXITED, TIMED_OUT, COULD_NOT_START }

  public boolean succeeded() {
    return outcome == Outcome.EXITED && exitCode == 0;
  }
}
