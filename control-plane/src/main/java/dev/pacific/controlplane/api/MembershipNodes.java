package dev.pacific.controlplane.api;

import dev.pacific.api.ListMeta;
import dev.pacific.api.Node;
import dev.pacific.api.NodeList;
import dev.pacific.api.Status;
import dev.pacific.api.codec.MediaFormat;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.server.Route;

import static org.apache.pekko.http.javadsl.server.Directives.complete;

/**
 * {@code /api/v1/nodes} while nodes come from cluster membership ({@link NodeSource.Membership}):
 * the list (selectors apply; there is no revision to page or watch from) and one node, with its
 * {@code /status} the same object. Writes are 405 until hosts register as Node entities.
 */
final class MembershipNodes {

  private static final String READ_ONLY = "nodes are read from cluster membership until hosts register in the"
      + " registry";

  private MembershipNodes() {}

  static Route serve(NodesFromMembership nodes, ApiPath path, String method, Map<String, String> query,
      MediaFormat format) {
    if (!method.equals("GET")) {
      return ResourceRoutes.methodNotAllowed(method + " (" + READ_ONLY + ")", List.of("GET"), format);
    }
    if (!path.isCollection()) {
      return complete(nodes.get(path.name())
          .map(node -> Replies.response(Reply.of(200, node), format))
          .orElseGet(() -> Replies.status(Status.notFound("nodes", path.name()), format)));
    }
    return ListOptions.parse(query, NodeType.INSTANCE.selectableFields().keySet()).fold(
        bad -> complete(Replies.status(bad, format)),
        options -> {
          if (options.watch()) {
            return complete(Replies.status(Parsed.badParameter("watch", "nodes cannot be watched yet: "
                + READ_ONLY), format));
          }
          Selection<Node> selection = Selection.of(NodeType.INSTANCE, options);
          List<Node> items = nodes.list().stream().filter(selection::matches).toList();
          return complete(Replies.response(Reply.of(200, new NodeList(new ListMeta(null, null), items)), format));
        });
  }
}
