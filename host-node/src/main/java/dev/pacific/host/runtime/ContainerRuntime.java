package dev.pacific.host.runtime;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Runs containers for the pod agent, as Nomad's client runs tasks through a driver: the agent
 * decides what and when (restarts, probes, back-off); a runtime only starts an instance and
 * reports how it ended. {@link ProcessRuntime} runs real OS processes; {@link SimulatedRuntime}
 * runs none, for scale runs with thousands of pods on one host.
 */
public interface ContainerRuntime extends AutoCloseable {

  /** {@code process} or {@code simulated}, as {@code pacific.host.runtime} names it. */
  String name();

  /**
   * Starts one instance of a container. A start that cannot happen (no such command, no working
   * directory) completes with {@link StartResult.Failed}, not exceptionally: it is the user's
   * spec that is wrong, and the agent reports it in the container's state.
   */
  CompletionStage<StartResult> start(ContainerLaunch launch);

  /**
   * Every instance this runtime started that has not ended yet. The runtime outlives the
   * spherelet actors that use it, so a restarted spherelet adopts these (or stops them) instead
   * of starting second copies.
   */
  List<RunningInstance> instances();

  /**
   * Kills whatever carries this host's markers but was not started by this runtime (left by an
   * earlier run of the host member), and completes with how many processes that was once they
   * are gone. A host that comes back does this before it starts anything.
   */
  CompletionStage<Integer> killStrays();

  /** Stops every container this runtime still runs, at once; the host is going away. */
  @Override
  void close();
}
