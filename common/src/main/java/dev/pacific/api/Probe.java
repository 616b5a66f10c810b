package dev.pacific.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A liveness, readiness or startup probe as Kubernetes' v1 {@code Probe}: exactly one handler
 * (exec, httpGet or tcpSocket) and its timing. Absent numbers take Kubernetes' defaults at run
 * time (period 10 s, timeout 1 s, success 1, failure 3).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Probe(
    ExecAction exec,
    HTTPGetAction httpGet,
    TCPSocketAction tcpSocket,
    Integer initialDelaySeconds,
    Integer timeoutSeconds,
    Integer periodSeconds,
    Integer successThreshold,
    Integer failureThreshold,
    Long terminationGracePeriodSeconds) {

  /** Runs a command in the container; exit 0 is healthy. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record ExecAction(List<String> command) {
    public ExecAction {
      command = Frozen.list(command);
    }
  }

  /** An HTTP GET; a status from 200 to 399 is healthy. {@code port} is a number or a port name. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record HTTPGetAction(String path, IntOrString port, String host, String scheme, List<HTTPHeader> httpHeaders) {
    public HTTPGetAction {
      httpHeaders = Frozen.list(httpHeaders);
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HTTPHeader(String name, String value) {}

  /** A TCP connect; success is healthy. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TCPSocketAction(IntOrString port, String host) {}
}
