package dev.pacific.controlplane.api;

/**
 * Where {@code /api/v1/nodes} reads from. Today hosts do not register in the registry, so nodes
 * come from cluster membership ({@link Membership}: GET of the list and of one node, as before;
 * no watch, no writes). Once hosts register as Node entities, {@link Registry} serves nodes like
 * every other kind: list with selectors and paging, watch, and writes through {@code Mutations}.
 */
public sealed interface NodeSource permits NodeSource.Membership, NodeSource.Registry {

  /** Nodes built from member cards and cluster reachability; read-only. */
  record Membership(NodesFromMembership nodes) implements NodeSource {}

  /** Nodes stored under {@code registry/nodes/}, written by the host entities. */
  record Registry() implements NodeSource {}
}
