package dev.pacific.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pacific.api.Json;
import dev.pacific.api.Status;
import dev.pacific.api.codec.Limits;
import dev.pacific.api.codec.MediaFormat;
import dev.pacific.controlplane.entities.HostMutations;
import dev.pacific.controlplane.entities.Mutations.Outcome;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.RegistryReader;
import dev.pacific.controlplane.persistence.ResourceKind;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.extractMethod;
import static org.apache.pekko.http.javadsl.server.Directives.optionalHeaderValueByName;
import static org.apache.pekko.http.javadsl.server.Directives.path;

/**
 * {@code POST /admin/v1/nodes/{name}/maintenance} with {@code {"enabled":true|false}}: the host
 * enters maintenance (cordoned: {@code spec.unschedulable} and annotation
 * {@code pacific.dev/maintenance}) or leaves it; 200 with the Node (CONTRACT.md "Admin endpoints").
 * Moving the pods off is the host lifecycle controller's part, which watches the Node.
 */
public final class MaintenanceRoute {

  private final RegistryReader reader;
  private final HostMutations hosts;
  private final ActorSystem<?> system;

  public MaintenanceRoute(RegistryReader reader, HostMutations hosts, ActorSystem<?> system) {
    this.reader = reader;
    this.hosts = hosts;
    this.system = system;
  }

  public Route route() {
    return path(PathMatchers.segment("admin").slash("v1").slash("nodes").slash(PathMatchers.segment())
        .slash("maintenance"), name -> optionalHeaderValueByName("Accept", accept -> Replies.negotiate(accept).fold(
            notAcceptable -> complete(Replies.status(notAcceptable)),
            format -> extractMethod(method -> method.name().equals("POST") ? post(name, format)
                : ResourceRoutes.methodNotAllowed(method.name(), List.of("POST"), format)))));
  }

  private Route post(String name, MediaFormat format) {
    long max = Limits.STANDARD.maxBytes();
    return Bodies.read(system, max, declared -> Replies.status(Status.failure(413, "RequestEntityTooLarge",
        "the request body of " + declared + " bytes is over the limit of " + max + " bytes"), format), bytes -> {
      Parsed<Boolean> enabled = enabled(bytes);
      return enabled.fold(bad -> complete(Replies.status(bad, format)), on -> completeWithFuture(
          // Only a registered node: asking the entity of an unknown name would start one that never passivates.
          reader.get(ObjectRef.cluster(ResourceKind.NODES, name)).thenCompose(found -> found.isEmpty()
              ? CompletableFuture.completedFuture(Replies.status(Status.notFound("nodes", name), format))
              : hosts.setMaintenance(name, on).thenApply(outcome -> outcome instanceof Outcome.Done d
                  ? Replies.response(Reply.of(200, d.object()), format)
                  : Replies.status(((Outcome.Failed) outcome).status(), format)))
              .exceptionally(failure -> Replies.status(Failures.status(failure), format))));
    });
  }

  /** {@code enabled} from a JSON object body; anything else is a 400 naming the field. */
  static Parsed<Boolean> enabled(byte[] body) {
    JsonNode tree;
    try {
      tree = Json.mapper().readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return Parsed.bad("body", "the body must be a JSON object like {\"enabled\":true}: " + e.getOriginalMessage());
    } catch (IOException e) {
      return Parsed.bad("body", "the body must be a JSON object like {\"enabled\":true}");
    }
    if (tree == null || !tree.isObject()) {
      return Parsed.bad("body", "the body must be a JSON object like {\"enabled\":true}");
    }
    JsonNode enabled = tree.get("enabled");
    if (enabled == null || !enabled.isBoolean()) {
      return Parsed.bad("enabled", "required: true to enter maintenance, false to leave it");
    }
    return Parsed.ok(enabled.booleanValue());
  }
}
