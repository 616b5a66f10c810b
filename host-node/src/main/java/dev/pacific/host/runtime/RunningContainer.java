package dev.pacific.host.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** One started instance of a container, until and after it ends. */
public interface RunningContainer {

  /** Unique on this host, in Kubernetes' {@code runtime://id} form for {@code containerID}. */
  String id();

  Instant startedAt();

  /** Completes once, when the instance has ended and none of its processes is left. */
  CompletionStage<ContainerExit> exit();

  /**
   * Asks the instance to end as a kubelet does: SIGTERM, then SIGKILL once {@code grace} has
   * passed. Completes with the same outcome as {@link #exit()}.
   */
  CompletionStage<ContainerExit> stop(Duration grace);

  /**
   * Runs a command beside the instance (same environment and working directory), as an exec
   * probe does; a command still running after {@code timeout} is killed and reported as such.
   */
  CompletionStage<ExecResult> exec(List<String> command, Duration timeout);
}
