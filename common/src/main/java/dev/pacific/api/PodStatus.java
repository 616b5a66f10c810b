package dev.pacific.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code status} of a Pod as Kubernetes' v1 PodStatus. {@code phase} is Pending, Running,
 * Succeeded, Failed or Unknown; times are RFC 3339 strings.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PodStatus(
    String phase,
    List<PodCondition> conditions,
    String message,
    String reason,
    String hostIP,
    String podIP,
    @Rfc3339 String startTime,
    List<ContainerStatus> containerStatuses) {

  public PodStatus {
    conditions = Frozen.list(conditions);
    containerStatuses = Frozen.list(containerStatuses);
  }

  public static PodStatus phase(String phase) {
    return new PodStatus(phase, List.of(), null, null, null, null, null, List.of());
  }

  /** The condition of that type ({@code PodScheduled}, {@code Ready}, …), or null. */
  public PodCondition condition(String type) {
    return conditions.stream().filter(c -> type.equals(c.type())).findFirst().orElse(null);
  }

  /** One entry of {@code status.conditions}; {@code status} is "True", "False" or "Unknown". */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PodCondition(
      String type, String status, @Rfc3339 String lastProbeTime, @Rfc3339 String lastTransitionTime, String reason,
      String message) {}

  /** What the host last saw of one container. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ContainerStatus(
      String name,
      ContainerState state,
      ContainerState lastState,
      Boolean ready,
      Integer restartCount,
      String image,
      String imageID,
      String containerID,
      Boolean started) {}

  /** Exactly one of waiting, running or terminated is set. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ContainerState(Waiting waiting, Running running, Terminated terminated) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Waiting(String reason, String message) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Running(@Rfc3339 String startedAt) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Terminated(
      Integer exitCode, Integer signal, String reason, String message, @Rfc3339 String startedAt,
      @Rfc3339 String finishedAt,
      String containerID) {}
}
