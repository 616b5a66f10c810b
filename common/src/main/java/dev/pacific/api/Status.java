package dev.pacific.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Kubernetes' {@code Status}: the body of every error Pacific answers, so that kubectl and
 * client libraries show the reason and the field at fault instead of a stack trace.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Status(
    String apiVersion,
    String kind,
    ListMeta metadata,
    String status,
    String message,
    String reason,
    Details details,
    int code) {

  /**
   * Which object the failure is about and, for invalid objects, one cause per field.
   * {@code modRevision} is Pacific's own: a failed compare-and-swap on the quorum's key-value
   * API names the key's current mod revision, so the client can retry without another read.
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Details(String name, String group, String kind, List<Cause> causes, Integer retryAfterSeconds,
      Long modRevision) {

    public Details {
      causes = Frozen.list(causes);
    }

    public Details(String name, String group, String kind, List<Cause> causes, Integer retryAfterSeconds) {
      this(name, group, kind, causes, retryAfterSeconds, null);
    }
  }

  /** One problem: {@code field} is the path into the object ({@code spec.containers[0].name}). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Cause(String reason, String message, String field) {}

  public static Status failure(int code, String reason, String message) {
    return new Status("v1", "Status", new ListMeta(null, null), "Failure", message, reason, null, code);
  }

  public static Status failure(int code, String reason, String message, Details details) {
    return new Status("v1", "Status", new ListMeta(null, null), "Failure", message, reason, details, code);
  }

  public static Status success() {
    return new Status("v1", "Status", new ListMeta(null, null), "Success", null, null, null, 200);
  }

  /** 404 in Kubernetes' words: {@code nodes "host-9" not found}. */
  public static Status notFound(String resource, String name) {
    return failure(404, "NotFound", resource + " \"" + name + "\" not found",
        new Details(name, null, resource, List.of(), null));
  }
}
