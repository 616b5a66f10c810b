package dev.pacific.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A page of Namespaces as Kubernetes lists them; {@code items} is always written, also when empty. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NamespaceList(String apiVersion, String kind, ListMeta metadata,
    @JsonInclude(JsonInclude.Include.ALWAYS) List<Namespace> items) {

  public NamespaceList {
    items = Frozen.list(items);
  }

  public NamespaceList(ListMeta metadata, List<Namespace> items) {
    this("v1", "NamespaceList", metadata, items);
  }
}
