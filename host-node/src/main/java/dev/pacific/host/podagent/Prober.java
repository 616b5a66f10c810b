package dev.pacific.host.podagent;

import dev.pacific.api.Container;
import dev.pacific.api.Probe;
import dev.pacific.host.runtime.RunningContainer;
import java.util.concurrent.CompletionStage;

/**
 * Runs one probe once. The agent decides when and what a result means; a prober only answers
 * "healthy or not, and why", failing a probe that outlives its {@code timeoutSeconds}.
 */
public interface Prober {

  CompletionStage<Result> probe(Probe probe, Target target);

  /** What is probed: the running instance (for exec), its pod address and declared ports. */
  record Target(RunningContainer instance, Container spec, String podIp) {}

  record Result(boolean success, String message) {
    static Result ok() {
      return new Result(true, "");
    }
  }
}
