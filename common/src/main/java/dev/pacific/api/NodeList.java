package dev.pacific.api;

import java.util.List;

/** {@code GET /api/v1/nodes}. */
public record NodeList(String apiVersion, String kind, ListMeta metadata, List<Node> items) {

  public NodeList(ListMeta metadata, List<Node> items) {
    this("v1", "NodeList", metadata, items);
  }
}
