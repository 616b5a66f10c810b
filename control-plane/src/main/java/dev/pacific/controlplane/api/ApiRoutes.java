package dev.pacific.controlplane.api;

import dev.pacific.api.codec.Codec;
import dev.pacific.api.codec.MediaFormat;
import dev.pacific.api.ListMeta;
import dev.pacific.api.NodeList;
import dev.pacific.api.Status;
import dev.pacific.http.ErrorResponses;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.cluster.javadsl.ClusterHttpManagementRoutes;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.mapUnmatchedPath;
import static org.apache.pekko.http.javadsl.server.Directives.optionalHeaderValueByName;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEndOrSingleSlash;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;

/** The control plane's HTTP surface (CONTRACT.md "HTTP" and "Admin endpoints"). */
public final class ApiRoutes {

  private final Readiness readiness;
  private final NodesFromMembership nodes;
  private final org.apache.pekko.cluster.Cluster classicCluster;

  private final Optional<KvRoutes> kv;
  private final Optional<ResourceRoutes> resources;

  public ApiRoutes(Readiness readiness, NodesFromMembership nodes, org.apache.pekko.cluster.Cluster classicCluster) {
    this(readiness, nodes, classicCluster, Optional.empty());
  }

  public ApiRoutes(Readiness readiness, NodesFromMembership nodes, org.apache.pekko.cluster.Cluster classicCluster,
      Optional<KvRoutes> kv) {
    this(readiness, nodes, classicCluster, kv, Optional.empty());
  }

  /**
   * @param resources the registry's REST API; when present it serves all of {@code /api/v1} (nodes
   *     too, from the {@link NodeSource} it was given), otherwise only nodes from membership are served
   */
  public ApiRoutes(Readiness readiness, NodesFromMembership nodes, org.apache.pekko.cluster.Cluster classicCluster,
      Optional<KvRoutes> kv, Optional<ResourceRoutes> resources) {
    this.readiness = readiness;
    this.nodes = nodes;
    this.classicCluster = classicCluster;
    this.kv = kv;
    this.resources = resources;
  }

  public Route routes() {
    return concat(
        path("healthz", () -> get(() -> complete("ok"))),
        path("readyz", () -> get(this::readyz)),
        resources.map(ResourceRoutes::route)
            .orElseGet(() -> pathPrefix(PathMatchers.segment("api").slash("v1"), this::coreV1)),
        pathPrefix(PathMatchers.segment("admin").slash("v1"), this::adminV1));
  }

  private Route readyz() {
    Optional<String> why = readiness.notReadyBecause();
    return why.map(reason -> complete(ErrorResponses.response(503, "not ready: " + reason)))
        .orElseGet(() -> complete("ok"));
  }

  private Route coreV1() {
    return pathPrefix("nodes", () -> concat(
        pathEndOrSingleSlash(() -> get(() -> object(new NodeList(new ListMeta(null, null), nodes.list())))),
        path(PathMatchers.segment(), name -> get(() -> nodes.get(name)
            .map(this::object)
            .orElseGet(() -> complete(ErrorResponses.response(Status.notFound("nodes", name))))))));
  }

  /**
   * {@code /admin/v1/cluster} is pekko-management's {@code /cluster/members}; the rest of its
   * cluster routes (members by address, shards) are served below {@code /admin/v1/cluster/}.
   */
  private Route adminV1() {
    Route management = ClusterHttpManagementRoutes.all(classicCluster);
    Route cluster = concat(
        path("cluster", () -> mapUnmatchedPath(p -> "/cluster/members", () -> management)),
        management);
    return kv.map(k -> concat(k.routes(), cluster)).orElse(cluster);
  }

  /** An API object in the format the client accepts: JSON by default, YAML when asked; 406 otherwise. */
  private Route object(Object body) {
    return optionalHeaderValueByName("Accept", accept -> MediaFormat.fromAccept(accept.orElse(null))
        .map(format -> complete(HttpResponse.create().withEntity(
            ContentTypes.parse(format.contentType()), CODEC.encode(body, format))))
        .orElseGet(() -> complete(ErrorResponses.response(406,
            "cannot answer in " + accept.orElse("") + ": the API speaks application/json and application/yaml"))));
  }

  private static final Codec CODEC = Codec.standard();
}
