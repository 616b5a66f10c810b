package dev.pacific.controlplane.api;

/**
 * Where {@code /api/v1/nodes} reads from. Today hosts do not register in the registry, so nodes
 * come from cluster membership ({@link Membership}: GET of the list and of one node, as before;
 * no watch, no writes). Once hosts register as Node entities, {@link Registry} serves nodes like
 * every other kind: list with selectors and paging, watch, and writes through {@code Mutations}.
 */
public sealed interface NodeSource permits NodeSource.Membership, NodeSource.Registry, NodeSource.RegistryAndMembership {

  /** Nodes built from member cards and cluster reachability; read-only. */
  record Membership(NodesFromMembership nodes) implements NodeSource {}

  /** Nodes stored under {@code registry/nodes/}, written by the host entities. */
  record Registry() implements NodeSource {}

  /**
   * Nodes from the registry, as {@link Registry}, whose Ready condition a GET or list also checks
   * against cluster membership: a node is Ready only when its Node says so (the host registered;
   * the host lifecycle controller sets False on a lost lease) and its member is Up and reachable;
   * otherwise False with the reason of the one that says not. Watches stream the registry's Node
   * as stored. Until the lifecycle controller runs, membership keeps Ready meaningful (a killed
   * host turns NotReady within seconds).
   */
  record RegistryAndMembership(NodesFromMembership membership) implements NodeSource {

    /** The Node with the worse of its own Ready and its member's. */
    public dev.pacific.api.Node overlay(dev.pacific.api.Node stored) {
      var member = membership.get(stored.metadata().name()).map(dev.pacific.api.Node::readyCondition).orElse(null);
      var own = stored.readyCondition();
      if (member == null || "False".equals(own == null ? null : own.status()) || "True".equals(member.status())) {
        return stored;
      }
      java.util.List<dev.pacific.api.NodeCondition> conditions = new java.util.ArrayList<>();
      stored.status().conditions().stream().filter(c -> !"Ready".equals(c.type())).forEach(conditions::add);
      conditions.add(member);
      var s = stored.status();
      return new dev.pacific.api.Node(stored.apiVersion(), stored.kind(), stored.metadata(), stored.spec(),
          new dev.pacific.api.Node.Status(s.capacity(), s.allocatable(), conditions, s.addresses(), s.daemonEndpoints()));
    }
  }
}
