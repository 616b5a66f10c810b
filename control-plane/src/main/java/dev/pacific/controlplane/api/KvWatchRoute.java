package dev.pacific.controlplane.api;

import dev.pacific.api.Json;
import dev.pacific.api.Status;
import dev.pacific.controlplane.quorum.QuorumKv;
import dev.pacific.controlplane.quorum.QuorumWatch;
import dev.pacific.controlplane.quorum.WatchEvent;
import dev.pacific.controlplane.quorum.store.Compacted;
import dev.pacific.controlplane.quorum.store.KeyRange;
import dev.pacific.controlplane.quorum.store.KeyValue;
import dev.pacific.http.ErrorResponses;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.pf.PFBuilder;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;

/**
 * {@code GET /admin/v1/kv/{key}?watch=true[&prefix=true][&revision=N]}: the quorum's changes as
 * newline-delimited {@code {"type":"ADDED|MODIFIED|DELETED|ERROR","object":…}} (CONTRACT.md),
 * {@code object} being the key-value record as GET returns it. With N, the changes strictly after
 * N (a compacted N is answered 410 before streaming); without, first an ADDED for every existing
 * key, then the changes after the revision that list reflected, as a Kubernetes watch without a
 * resourceVersion does. Once streaming, a compaction overtaking the watch ends it with an ERROR
 * event carrying a 410 Status (list again); a watcher too slow for its buffer gets one carrying
 * 429 (watch again from the last revision received).
 */
final class KvWatchRoute {

  private final QuorumKv kv;
  private final QuorumWatch watch;

  KvWatchRoute(QuorumKv kv, QuorumWatch watch) {
    this.kv = kv;
    this.watch = watch;
  }

  Route route(String key) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    return parameterOptional("prefix", prefix -> parameterOptional("revision", revision -> {
      KeyRange range = "true".equals(prefix.orElse("false")) ? KeyRange.prefix(k) : KeyRange.key(k);
      if (revision.isEmpty()) {
        return completeWithFuture(listThenWatch(range));
      }
      return parse(revision.get(), n -> complete(fromRevision(range, n)));
    }));
  }

  private HttpResponse fromRevision(KeyRange range, long after) {
    long compacted = watch.compactedRevision();
    if (after < compacted) {
      return ErrorResponses.response(gone(new Compacted(after, compacted)));
    }
    return stream(Source.<ByteString>empty(), range, after);
  }

  private CompletionStage<HttpResponse> listThenWatch(KeyRange range) {
    return kv.range(range).handle((list, e) -> {
      if (e != null) {
        return ErrorResponses.response(503, "the quorum could not be read for the initial list: " + e.getMessage());
      }
      List<ByteString> added = list.kvs().stream().map(x -> line("ADDED", record(x))).toList();
      return stream(Source.from(added), range, list.revision());
    });
  }

  private HttpResponse stream(Source<ByteString, NotUsed> first, KeyRange range, long after) {
    Source<ByteString, NotUsed> events = watch.watch(range, after)
        .map(e -> line(e.type().name(), record(e.kv())))
        .recover(new PFBuilder<Throwable, ByteString>()
            .match(Compacted.class, c -> line("ERROR", gone(c)))
            .match(QuorumWatch.TooSlow.class, slow -> line("ERROR", Status.failure(429, "TooManyRequests",
                slow.getMessage())))
            .build());
    return HttpResponse.create().withStatus(200)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, first.concat(events)));
  }

  private static Status gone(Compacted c) {
    return Status.failure(410, "Expired", c.getMessage());
  }

  private static ByteString line(String type, Object object) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("type", type);
    event.put("object", object);
    return ByteString.fromArray(Json.write(event)).concat(ByteString.fromString("\n"));
  }

  private static Map<String, Object> record(KeyValue kv) {
    return KvRoutes.record(kv);
  }

  private static Route parse(String revision, Function<Long, Route> inner) {
    try {
      long n = Long.parseLong(revision);
      if (n >= 0) {
        return inner.apply(n);
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    return complete(ErrorResponses.response(Status.failure(400, "BadRequest",
        "revision must be a non-negative integer, not \"" + revision + "\"",
        new Status.Details(null, null, "keys", List.of(new Status.Cause("FieldValueInvalid",
            "must be a non-negative integer", "revision")), null))));
  }

  static boolean isWatch(Optional<String> watch) {
    return watch.map("true"::equals).orElse(false);
  }
}
