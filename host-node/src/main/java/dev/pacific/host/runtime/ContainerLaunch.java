package dev.pacific.host.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One instance of one container to start. {@code argv} is Kubernetes' {@code command} followed by
 * {@code args}; {@code workingDir} is the image bundle or the pod's sandbox; {@code env} is the
 * container's own variables, to which the runtime adds {@code POD_IP} and the host's markers.
 * {@code restartCount} numbers the instance, so each keeps its own log file as the kubelet's
 * {@code <restartCount>.log} does.
 */
public record ContainerLaunch(
    PodRef pod, String container, int restartCount, List<String> argv, Map<String, String> env, Path workingDir) {

  public ContainerLaunch {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
  }
}
