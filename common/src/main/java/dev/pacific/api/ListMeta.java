package dev.pacific.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Kubernetes' {@code metadata} of a list: the revision the list was read at and the paging token. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ListMeta(String resourceVersion, @JsonInclude(JsonInclude.Include.NON_EMPTY) String _continue) {

  @com.fasterxml.jackson.annotation.JsonProperty("continue")
  public String _continue() {
    return _continue;
  }
}
