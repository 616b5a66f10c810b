package dev.pacific.host.runtime;

/**
 * A container instance a runtime still runs, with the launch that started it: what a restarted
 * spherelet needs to adopt it (the pod it belongs to, its address, its restart count).
 */
public record RunningInstance(ContainerLaunch launch, RunningContainer container) {

  public String podUid() {
    return launch.pod().uid();
  }
}
