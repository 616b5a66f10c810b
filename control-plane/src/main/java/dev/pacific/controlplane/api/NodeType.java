package dev.pacific.controlplane.api;

import dev.pacific.api.ListMeta;
import dev.pacific.api.Node;
import dev.pacific.api.NodeList;
import dev.pacific.api.ObjectMeta;
import dev.pacific.controlplane.persistence.ResourceKind;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Nodes: a host's own report is kept on create (Kubernetes' node strategy keeps a registering node's status). */
final class NodeType implements ResourceType<Node> {

  static final NodeType INSTANCE = new NodeType();

  private static final Map<String, Function<Node, String>> FIELDS = Map.of(
      "spec.unschedulable", n -> String.valueOf(n.spec() != null && n.spec().unschedulable()));

  private NodeType() {}

  @Override
  public ResourceKind kind() {
    return ResourceKind.NODES;
  }

  @Override
  public Class<Node> type() {
    return Node.class;
  }

  @Override
  public ObjectMeta metadata(Node node) {
    return ResourceType.orEmpty(node.metadata());
  }

  @Override
  public Node withMetadata(Node node, ObjectMeta metadata) {
    return new Node(node.apiVersion(), node.kind(), metadata, node.spec(), node.status());
  }

  @Override
  public Node typed(Node node) {
    return new Node("v1", "Node", node.metadata(), node.spec(), node.status());
  }

  @Override
  public Node withStatusOf(Node node, Node source) {
    return new Node(node.apiVersion(), node.kind(), node.metadata(), node.spec(), source.status());
  }

  @Override
  public Node defaulted(Node node) {
    return node;
  }

  @Override
  public Node preparedForCreate(Node node) {
    return node;
  }

  @Override
  public Map<String, Function<Node, String>> selectableFields() {
    return FIELDS;
  }

  @Override
  public Object list(ListMeta metadata, List<Node> items) {
    return new NodeList(metadata, items);
  }
}
