package dev.pacific.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code resources} of a container: what placement reserves (requests) and the recorded ceilings (limits). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ResourceRequirements(ResourceList limits, ResourceList requests) {

  public ResourceRequirements {
    limits = Frozen.resources(limits);
    requests = Frozen.resources(requests);
  }
}
