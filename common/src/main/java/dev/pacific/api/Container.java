package dev.pacific.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One container of a pod, as Kubernetes' v1 {@code Container}. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Container(
    String name,
    String image,
    List<String> command,
    List<String> args,
    String workingDir,
    List<ContainerPort> ports,
    List<EnvVar> env,
    ResourceRequirements resources,
    Probe livenessProbe,
    Probe readinessProbe,
    Probe startupProbe,
    String imagePullPolicy) {

  public Container {
    command = Frozen.list(command);
    args = Frozen.list(args);
    ports = Frozen.list(ports);
    env = Frozen.list(env);
  }

  /** A container that runs {@code image} with its default command. */
  public static Container of(String name, String image) {
    return new Container(name, image, List.of(), List.of(), null, List.of(), List.of(), null, null, null, null, null);
  }

  public Container withImage(String newImage) {
    return new Container(name, newImage, command, args, workingDir, ports, env, resources,
        livenessProbe, readinessProbe, startupProbe, imagePullPolicy);
  }

  /** One port the container listens on; protocol TCP, UDP or SCTP. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ContainerPort(String name, Integer hostPort, Integer containerPort, String protocol, String hostIP) {
    public static ContainerPort of(int containerPort) {
      return new ContainerPort(null, null, containerPort, null, null);
    }
  }

  /** One environment variable; Pacific supports literal values only. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EnvVar(String name, String value) {}
}
