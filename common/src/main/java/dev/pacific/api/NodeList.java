package dev.pacific.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** {@code GET /api/v1/nodes}. */
public record NodeList(String apiVersion, String kind, ListMeta metadata,
    @JsonInclude(JsonInclude.Include.ALWAYS) List<Node> items) {

  public NodeList {
    items = Frozen.list(items);
  }

  public NodeList(ListMeta metadata, List<Node> items) {
    this("v1", "NodeList", metadata, items);
  }
}
