package dev.pacific.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A page of Pods as Kubernetes lists them; {@code items} is always written, also when empty. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PodList(String apiVersion, String kind, ListMeta metadata,
    @JsonInclude(JsonInclude.Include.ALWAYS) List<Pod> items) {

  public PodList {
    items = Frozen.list(items);
  }

  public PodList(ListMeta metadata, List<Pod> items) {
    this("v1", "PodList", metadata, items);
  }
}
