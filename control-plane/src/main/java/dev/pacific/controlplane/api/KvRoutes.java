package dev.pacific.controlplane.api;

import dev.pacific.api.Json;
import dev.pacific.api.Status;
import dev.pacific.controlplane.quorum.QuorumClient.QuorumUnavailable;
import dev.pacific.controlplane.quorum.QuorumKv;
import dev.pacific.controlplane.quorum.QuorumMember;
import dev.pacific.controlplane.quorum.QuorumStatus;
import dev.pacific.controlplane.quorum.QuorumWatch;
import dev.pacific.controlplane.quorum.store.KeyValue;
import dev.pacific.http.ErrorResponses;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.delete;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.put;

/**
 * Raw access to the quorum for operators (CONTRACT.md "Admin endpoints"): {@code /admin/v1/kv/{key}}
 * (with {@code ?watch=true}, a watch: {@link KvWatchRoute}) and {@code /admin/v1/quorum}. Served below
 * {@code /admin/v1}.
 */
public final class KvRoutes {

  /** Values up to 1.5 MiB, as etcd's default request limit; larger bodies get 413. */
  public static final long MAX_VALUE_BYTES = 1536L * 1024;

  private final QuorumKv kv;
  private final KvWatchRoute watch;
  private final ActorRef<QuorumMember.Command> member;
  private final ActorSystem<?> system;

  public KvRoutes(QuorumKv kv, QuorumWatch watch, ActorRef<QuorumMember.Command> member, ActorSystem<?> system) {
    this.kv = kv;
    this.watch = new KvWatchRoute(kv, watch);
    this.member = member;
    this.system = system;
  }

  public Route routes() {
    return concat(
        path("quorum", () -> get(this::status)),
        pathPrefix("kv", () -> path(PathMatchers.remaining(), encoded -> {
          String key = decodeKey(encoded);
          return parameterOptional("prevRevision", prev -> concat(
              get(() -> parameterOptional("watch", w -> KvWatchRoute.isWatch(w) ? watch.route(key) : read(key))),
              put(() -> valueBody(body -> revision(prev, r -> write(key, body, r)))),
              delete(() -> revision(prev, r -> remove(key, r)))));
        })));
  }

  /** The PUT body as the value; over 1.5 MiB is 413 ({@link Bodies#read}). */
  private Route valueBody(Function<byte[], Route> inner) {
    return Bodies.read(system, MAX_VALUE_BYTES, declared -> ErrorResponses.response(413, "value of " + declared
        + " bytes is over the limit of " + MAX_VALUE_BYTES + " bytes (1.5 MiB)"), inner);
  }

  private Route status() {
    CompletionStage<QuorumStatus> status = AskPattern.ask(member, QuorumMember.GetStatus::new,
        Duration.ofSeconds(2), system.scheduler());
    // handleAsync on the completing thread: the ask's stage would otherwise start a thread for it (see QuorumClient)
    return completeWithFuture(status.handleAsync((s, e) -> e == null ? json(200, s)
        : ErrorResponses.response(503, "this member's quorum actor did not answer: " + e.getMessage()), Runnable::run));
  }

  private Route read(String key) {
    return completeWithFuture(kv.get(bytes(key)).handle((found, e) -> {
      if (e != null) {
        return failure(e);
      }
      return found.map(k -> json(200, record(k)))
          .orElseGet(() -> ErrorResponses.response(Status.notFound("keys", key)));
    }));
  }

  private Route write(String key, byte[] value, OptionalLong prevRevision) {
    return completeWithFuture(kv.put(bytes(key), value, prevRevision).handle((o, e) -> outcome(key, o, e)));
  }

  private Route remove(String key, OptionalLong prevRevision) {
    return completeWithFuture(kv.delete(bytes(key), prevRevision).handle((o, e) -> outcome(key, o, e)));
  }

  private static HttpResponse outcome(String key, QuorumKv.Outcome outcome, Throwable failure) {
    if (failure != null) {
      return failure(failure);
    }
    if (outcome instanceof QuorumKv.Outcome.Written w) {
      return json(200, Map.of("revision", w.revision()));
    }
    if (outcome instanceof QuorumKv.Outcome.Conflict c) {
      return ErrorResponses.response(Status.failure(409, "Conflict", "key \"" + key + "\" has modRevision "
          + c.modRevision() + ", not the prevRevision given", new Status.Details(key, null, "keys", List.of(), null,
          c.modRevision())));
    }
    return ErrorResponses.response(Status.notFound("keys", key));
  }

  /** {@code ?prevRevision=N}: absent, or a non-negative integer ({@code 0} = must not exist). */
  private static Route revision(Optional<String> prev, Function<OptionalLong, Route> inner) {
    if (prev.isEmpty()) {
      return inner.apply(OptionalLong.empty());
    }
    try {
      long n = Long.parseLong(prev.get());
      if (n >= 0) {
        return inner.apply(OptionalLong.of(n));
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    return complete(ErrorResponses.response(Status.failure(400, "BadRequest",
        "prevRevision must be a non-negative integer, not \"" + prev.get() + "\"",
        new Status.Details(null, null, "keys", List.of(new Status.Cause("FieldValueInvalid",
            "must be a non-negative integer", "prevRevision")), null))));
  }

  private static HttpResponse failure(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof QuorumUnavailable) {
      return ErrorResponses.response(503, cause.getMessage());
    }
    throw new CompletionException(cause); // the exception handler answers 500 and logs it
  }

  /** The CONTRACT.md shape; a value that is not UTF-8 travels as base64. */
  static Map<String, Object> record(KeyValue kv) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("key", new String(kv.key(), StandardCharsets.UTF_8));
    try {
      out.put("value", StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(kv.value())).toString());
    } catch (CharacterCodingException notUtf8) {
      out.put("valueBase64", Base64.getEncoder().encodeToString(kv.value()));
    }
    out.put("createRevision", kv.createRevision());
    out.put("modRevision", kv.modRevision());
    out.put("version", kv.version());
    return out;
  }

  private static HttpResponse json(int code, Object body) {
    return HttpResponse.create().withStatus(code).withEntity(ContentTypes.APPLICATION_JSON, Json.write(body));
  }

  /** Keys come percent-encoded in one path segment ({@code /} as {@code %2F}); plain slashes work too. */
  static String decodeKey(String encoded) {
    return URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }
}
