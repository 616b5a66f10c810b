package dev.pacific.controlplane.api;

import dev.pacific.api.Json;
import dev.pacific.api.ResourceQuota;
import dev.pacific.api.Status;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.RegistryKeys;
import dev.pacific.controlplane.persistence.RegistryReader;
import dev.pacific.controlplane.persistence.RegistryReader.Page;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.controlplane.quorum.QuorumKv;
import dev.pacific.controlplane.quorum.QuorumWatch;
import dev.pacific.controlplane.quorum.store.Compacted;
import dev.pacific.controlplane.quorum.store.KeyRange;
import dev.pacific.controlplane.quorum.store.KvResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongFunction;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.japi.pf.PFBuilder;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * {@code ?watch=true[&resourceVersion=N]} over a registry prefix, or for resource quotas over the
 * namespace records that hold them (CONTRACT.md "Watch"):
 * newline-delimited {@code {"type":"ADDED|MODIFIED|DELETED|ERROR","object":…}}. Without N (or
 * with 0, Kubernetes' "any"), an ADDED for every existing object first, then the changes after
 * the revision that list read at; with N, the changes strictly after N, and a compacted N is 410
 * before streaming. Once streaming, a compaction overtaking the watch ends it with an ERROR event
 * carrying a 410 Status, a watcher too slow for its buffer with one carrying 429 (watch again from
 * the last resourceVersion received).
 *
 * <p>A quiet watch sends a line every {@code watch-idle-interval} so that Pekko HTTP's idle
 * timeout never cuts it: a BOOKMARK ({@code {"type":"BOOKMARK","object":{"kind":…,"metadata":
 * {"resourceVersion":"N"}}}}) when the client allowed bookmarks, else a blank line, which is
 * whitespace between JSON values to a streaming decoder.
 */
final class ResourceWatch {

  private static final ByteString BLANK_LINE = ByteString.fromString("\n");

  private final RegistryReader reader;
  private final ApiSettings settings;

  ResourceWatch(RegistryReader reader, ApiSettings settings) {
    this.reader = reader;
    this.settings = settings;
  }

  /**
   * @param namespace the namespace watched, or "" for all (and for cluster-scoped kinds). Resource
   *     quotas are followed through their namespaces' records ({@link QuotaWatchFilter}).
   */
  <T> CompletionStage<HttpResponse> watch(ResourceType<T> type, String namespace, ListOptions options) {
    if (type.kind() == ResourceKind.RESOURCEQUOTAS) {
      KeyRange namespaces = namespace.isEmpty() ? KeyRange.prefix(RegistryKeys.prefix(ResourceKind.NAMESPACES))
          : KeyRange.key(RegistryKeys.key(ObjectRef.cluster(ResourceKind.NAMESPACES, namespace)));
      Selection<ResourceQuota> selection = Selection.of(QuotaType.INSTANCE, options);
      return start(type, namespaces, revision -> new QuotaWatchFilter(selection, revision), options);
    }
    KeyRange range = KeyRange.prefix(namespace.isEmpty() ? RegistryKeys.prefix(type.kind())
        : RegistryKeys.prefix(type.kind(), namespace));
    Selection<T> selection = Selection.of(type, options);
    return start(type, range, revision -> new WatchFilter<>(type, selection, revision), options);
  }

  /** @param filters the events of one stream, given the revision it starts after */
  private CompletionStage<HttpResponse> start(ResourceType<?> type, KeyRange range, LongFunction<WatchEvents> filters,
      ListOptions options) {
    long from = options.resourceVersion().orElse(0);
    if (from == 0) {
      return reader.page(range, 0, 0).thenApply(page -> {
        WatchEvents filter = filters.apply(page.revision());
        List<ByteString> added = page.records().stream()
            .flatMap(r -> filter.existing(r).stream()).map(ResourceWatch::line).toList();
        return stream(type, Source.from(added), filter, range, page.revision(), options);
      }).exceptionally(failure -> Replies.status(Failures.status(failure)));
    }
    if (from < reader.compactedRevision()) {
      return done(Replies.status(gone(from)));
    }
    WatchEvents filter = filters.apply(from);
    if (!filter.needsSeed()) {
      return done(stream(type, Source.empty(), filter, range, from, options));
    }
    // What there was at N decides whether a later change is ADDED, MODIFIED or DELETED (or nothing).
    return reader.page(range, from, 0).thenApply((Page page) -> {
      page.records().forEach(filter::seed);
      return stream(type, Source.<ByteString>empty(), filter, range, from, options);
    }).exceptionally(failure -> Replies.status(startFailure(failure, from)));
  }

  private HttpResponse stream(ResourceType<?> type, Source<ByteString, NotUsed> first, WatchEvents filter,
      KeyRange range, long after, ListOptions options) {
    Source<ByteString, NotUsed> changes = reader.watch(range, after)
        .mapConcat(filter::events)
        .map(ResourceWatch::line)
        .recover(new PFBuilder<Throwable, ByteString>()
            .match(Compacted.class, c -> line(event("ERROR", Failures.expired(c.getMessage()))))
            .match(QuorumWatch.TooSlow.class, slow -> line(event("ERROR",
                Status.failure(429, "TooManyRequests", slow.getMessage()))))
            .build());
    Source<ByteString, NotUsed> events = first.concat(changes)
        .keepAlive(settings.watchIdleInterval(), () -> options.bookmarks()
            ? line(event("BOOKMARK", bookmark(type, filter.seenRevision()))) : BLANK_LINE);
    if (options.timeoutSeconds().isPresent() && options.timeoutSeconds().getAsLong() > 0) {
      events = events.takeWithin(Duration.ofSeconds(options.timeoutSeconds().getAsLong()));
    }
    return HttpResponse.create().withStatus(200)
        .withEntity(HttpEntities.createChunked(ContentTypes.APPLICATION_JSON, events));
  }

  private static Map<String, Object> bookmark(ResourceType<?> type, long revision) {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("kind", type.kind().kind());
    object.put("apiVersion", "v1");
    object.put("metadata", Map.of("resourceVersion", Long.toString(revision)));
    return object;
  }

  private Status gone(long from) {
    return Failures.expired("too old resource version: " + from + " (the oldest this member can watch from is "
        + reader.compactedRevision() + "); list again and watch from the list's resourceVersion");
  }

  private Status startFailure(Throwable failure, long from) {
    Throwable cause = Failures.unwrap(failure);
    if (cause instanceof QuorumKv.Refused refused && refused.reason() == KvResult.Reason.COMPACTED) {
      return gone(from);
    }
    if (cause instanceof QuorumKv.Refused refused && refused.reason() == KvResult.Reason.FUTURE_REVISION) {
      return Parsed.badParameter("resourceVersion", refused.getMessage());
    }
    return Failures.status(failure);
  }

  private static Map<String, Object> event(String type, Object object) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("type", type);
    event.put("object", object);
    return event;
  }

  private static ByteString line(WatchEvents.Event e) {
    return line(event(e.type(), e.object()));
  }

  private static ByteString line(Map<String, Object> event) {
    return ByteString.fromArray(Json.write(event)).concat(BLANK_LINE);
  }

  private static CompletionStage<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
