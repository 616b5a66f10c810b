package dev.pacific.controlplane.api;

import dev.pacific.api.Status;
import dev.pacific.api.codec.FieldValidation;
import dev.pacific.api.codec.Limits;
import dev.pacific.api.codec.MediaFormat;
import dev.pacific.controlplane.entities.Mutations;
import dev.pacific.controlplane.persistence.RegistryReader;
import dev.pacific.controlplane.persistence.ResourceKind;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.extractMethod;
import static org.apache.pekko.http.javadsl.server.Directives.extractUnmatchedPath;
import static org.apache.pekko.http.javadsl.server.Directives.optionalHeaderValueByName;
import static org.apache.pekko.http.javadsl.server.Directives.parameterMap;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.withRequestTimeoutResponse;

/**
 * The Kubernetes-shaped REST API over the registry (CONTRACT.md "HTTP"): {@code /api/v1/namespaces},
 * {@code /api/v1/namespaces/{ns}/pods}, {@code /api/v1/pods}, {@code /api/v1/namespaces/{ns}/resourcequotas},
 * {@code /api/v1/resourcequotas} and {@code /api/v1/nodes}, with objects, their {@code /status}
 * and a pod's {@code /log}. Reads go straight to the quorum ({@link RegistryReader}); writes go to
 * the entities ({@link Mutations}). Every failure is a Status in the format the client accepts.
 *
 * <p>{@code /log} is proxied to the pod's host ({@link PodLogs}).
 */
public final class ResourceRoutes {

  private final Reads reads;
  private final Writes writes;
  private final ResourceWatch watch;
  private final NodeSource nodes;
  private final ActorSystem<?> system;
  private final PodLogs logs;

  public ResourceRoutes(RegistryReader reader, Mutations mutations, NodeSource nodes, ApiSettings settings,
      ActorSystem<?> system) {
    this(reader, mutations, nodes, settings, system, Clock.systemUTC(), new NameGenerator());
  }

  ResourceRoutes(RegistryReader reader, Mutations mutations, NodeSource nodes, ApiSettings settings,
      ActorSystem<?> system, Clock clock, NameGenerator names) {
    this.reads = new Reads(reader, settings, nodes);
    this.writes = new Writes(reads, mutations, settings, names, clock);
    this.watch = new ResourceWatch(reader, settings);
    this.nodes = nodes;
    this.system = system;
    this.logs = new PodLogs(reader, system);
  }

  /**
   * Everything below {@code /api/v1}; a path it does not serve is 404 NotFound. A request that
   * outlives {@code pekko.http.server.request-timeout} is answered 504 Timeout as a Status (Pekko's
   * own answer would be plain text); a write may still take effect, as Kubernetes' Timeout says.
   */
  public Route route() {
    return pathPrefix(PathMatchers.segment("api").slash("v1"), () -> withRequestTimeoutResponse(request ->
        Replies.status(Status.failure(504, "Timeout", "the server did not answer in time; a write may still take"
            + " effect: read the object before trying again")), () -> extractUnmatchedPath(rest ->
        optionalHeaderValueByName("Accept", accept -> Replies.negotiate(accept).fold(
            notAcceptable -> complete(Replies.status(notAcceptable)),
            format -> ApiPath.parse(rest)
                .map(path -> parameterMap(query -> extractMethod(method -> serve(path, method.name(), query, format))))
                .orElseGet(() -> complete(Replies.status(Status.failure(404, "NotFound",
                    "the server could not find the requested resource"), format))))))));
  }

  private Route serve(ApiPath path, String method, Map<String, String> query, MediaFormat format) {
    if (path.type().kind() == ResourceKind.NODES && nodes instanceof NodeSource.Membership m) {
      return MembershipNodes.serve(m.nodes(), path, method, query, format);
    }
    if (path.sub() == ApiPath.Sub.LOG) {
      return method.equals("GET") ? completeWithFuture(logs.serve(path.ref(), query, format))
          : methodNotAllowed(method, List.of("GET"), format);
    }
    if (path.isCollection()) {
      return switch (method) {
        case "GET" -> listOrWatch(path, query, format);
        case "POST" -> path.isAllNamespaces() ? methodNotAllowed(method, List.of("GET"), format)
            : create(path, query, format);
        default -> methodNotAllowed(method, path.isAllNamespaces() ? List.of("GET") : List.of("GET", "POST"), format);
      };
    }
    boolean status = path.sub() == ApiPath.Sub.STATUS;
    return switch (method) {
      case "GET" -> get(path, query, format);
      case "PUT" -> update(path, query, format, status);
      case "PATCH" -> patch(path, query, format, status);
      case "DELETE" -> status ? methodNotAllowed(method, List.of("GET", "PUT", "PATCH"), format)
          : delete(path, query, format);
      default -> methodNotAllowed(method, status ? List.of("GET", "PUT", "PATCH")
          : List.of("GET", "PUT", "PATCH", "DELETE"), format);
    };
  }

  private Route get(ApiPath path, Map<String, String> query, MediaFormat format) {
    Parsed<Boolean> watching = ListOptions.bool("watch", query.get("watch"));
    Parsed<?> checked = ListOptions.count("resourceVersion", query.get("resourceVersion"))
        .flatMap(rv -> watching).flatMap(w -> w ? Parsed.bad("watch", "watch one object through its collection"
            + " with fieldSelector=metadata.name=" + path.name()) : Parsed.ok(w));
    return checked.fold(bad -> complete(Replies.status(bad, format)), ok -> completeWithFuture(
        reads.get(path.type(), path.ref()).handle((found, failure) -> failure != null
            ? Replies.status(Failures.status(failure), format)
            : found.map(o -> Replies.response(Reply.of(200, o), format))
                .orElseGet(() -> Replies.status(Status.notFound(path.type().kind().resource(), path.name()), format)))));
  }

  private Route listOrWatch(ApiPath path, Map<String, String> query, MediaFormat format) {
    ResourceType<?> type = path.type();
    return ListOptions.parse(query, type.selectableFields().keySet()).fold(
        bad -> complete(Replies.status(bad, format)),
        options -> {
          if (!options.watch()) {
            return completeWithFuture(reads.list(type, path.namespace(), options)
                .thenApply(reply -> Replies.response(reply, format)));
          }
          if (format != MediaFormat.JSON) {
            return complete(Replies.status(Status.failure(406, "NotAcceptable",
                "a watch streams newline-delimited JSON: accept application/json"), format));
          }
          return completeWithFuture(watch.watch(type, path.namespace(), options));
        });
  }

  private Route create(ApiPath path, Map<String, String> query, MediaFormat format) {
    return writeOptions(query, format, validation -> body(format, body ->
        completeWithFuture(writes.create(path.type(), path.namespace(), body, validation)
            .thenApply(reply -> Replies.response(reply, format)))));
  }

  private Route update(ApiPath path, Map<String, String> query, MediaFormat format, boolean status) {
    return writeOptions(query, format, validation -> body(format, body ->
        completeWithFuture(writes.update(path.type(), path.ref(), body, validation, status)
            .thenApply(reply -> Replies.response(reply, format)))));
  }

  private Route patch(ApiPath path, Map<String, String> query, MediaFormat format, boolean status) {
    return writeOptions(query, format, validation -> Bodies.mediaType(type -> {
      Optional<Status> unsupported = PatchTypes.refusal(type);
      if (unsupported.isPresent()) {
        return complete(Replies.status(unsupported.get(), format));
      }
      return bytes(format, bytes -> MergePatch.parse(bytes).fold(
          bad -> complete(Replies.status(bad, format)),
          patch -> completeWithFuture(writes.patch(path.type(), path.ref(), patch, validation, status)
              .thenApply(reply -> Replies.response(reply, format)))));
    }));
  }

  private Route delete(ApiPath path, Map<String, String> query, MediaFormat format) {
    if (query.containsKey("dryRun")) {
      return complete(Replies.status(Parsed.badParameter("dryRun", "dry runs are not supported"), format));
    }
    return bytes(format, bytes -> DeleteRequest.parse(query, bytes).fold(
        bad -> complete(Replies.status(bad, format)),
        options -> completeWithFuture(writes.delete(path.type(), path.ref(), options)
            .thenApply(reply -> Replies.response(reply, format)))));
  }

  /** {@code fieldValidation} (Strict, Warn by default, Ignore); {@code dryRun} is refused, never ignored. */
  private static Route writeOptions(Map<String, String> query, MediaFormat format,
      Function<FieldValidation, Route> inner) {
    if (query.containsKey("dryRun")) {
      return complete(Replies.status(Parsed.badParameter("dryRun", "dry runs are not supported"), format));
    }
    String value = query.get("fieldValidation");
    return FieldValidation.fromQuery(value).map(inner)
        .orElseGet(() -> complete(Replies.status(Parsed.badParameter("fieldValidation",
            "must be Strict, Warn or Ignore, not \"" + value + "\""), format)));
  }

  /**
   * A JSON or YAML object body; another {@code Content-Type} is 415. Pekko reads a body without one
   * as {@code application/octet-stream} (RFC 9110 lets a recipient assume so), so it is 415 too.
   */
  private Route body(MediaFormat format, Function<Writes.Body, Route> inner) {
    return Bodies.mediaType(type -> MediaFormat.fromContentType(type)
        .map(in -> bytes(format, bytes -> inner.apply(new Writes.Body(bytes, in))))
        .orElseGet(() -> complete(Replies.status(Status.failure(415, "UnsupportedMediaType",
            "the body's Content-Type " + type + " is not supported (a body without a Content-Type is"
                + " application/octet-stream, RFC 9110): send application/json or application/yaml"),
            format))));
  }

  private Route bytes(MediaFormat format, Function<byte[], Route> inner) {
    long max = Limits.STANDARD.maxBytes();
    return Bodies.read(system, max, declared -> Replies.status(Status.failure(413, "RequestEntityTooLarge",
        "the request body of " + declared + " bytes is over the limit of " + max + " bytes"), format), inner);
  }

  static Route methodNotAllowed(String method, List<String> allowed, MediaFormat format) {
    HttpResponse response = Replies.status(Status.failure(405, "MethodNotAllowed", method
        + " is not allowed here: supported methods are " + String.join(", ", allowed)), format);
    return complete(response.addHeader(RawHeader.create("Allow", String.join(", ", allowed))));
  }
}
