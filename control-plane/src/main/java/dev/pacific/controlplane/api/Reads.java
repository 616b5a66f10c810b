package dev.pacific.controlplane.api;

import dev.pacific.api.ListMeta;
import dev.pacific.api.ResourceQuota;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.RegistryKeys;
import dev.pacific.controlplane.persistence.RegistryReader;
import dev.pacific.controlplane.persistence.RegistryReader.Page;
import dev.pacific.controlplane.persistence.RegistryReader.Record;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.controlplane.quorum.QuorumKv;
import dev.pacific.controlplane.quorum.store.KeyRange;
import dev.pacific.controlplane.quorum.store.KvResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Gets and lists, read straight from the quorum (linearizable; never a cache). A list with a
 * {@code limit} is paged as Kubernetes pages etcd: every page reads at the first page's revision
 * (carried in the {@code continue} token), selectors are applied while the page fills, so a page
 * holds up to {@code limit} matching objects, and {@code metadata.resourceVersion} of the list is
 * the revision read at, from which a watch resumes without a gap.
 */
final class Reads {

  private final RegistryReader reader;
  private final ApiSettings settings;
  private final NodeSource nodes;

  Reads(RegistryReader reader, ApiSettings settings, NodeSource nodes) {
    this.reader = reader;
    this.settings = settings;
    this.nodes = nodes;
  }

  /** The record's object as served: a Node's Ready checked against membership when the source says so. */
  private <T> Optional<T> object(ResourceType<T> type, Record record) {
    Optional<T> object = RegistryObjects.object(type, record);
    if (nodes instanceof NodeSource.RegistryAndMembership m) {
      return object.map(o -> o instanceof dev.pacific.api.Node n ? type.cast(m.overlay(n)) : o);
    }
    return object;
  }

  RegistryReader reader() {
    return reader;
  }

  <T> CompletionStage<Optional<T>> get(ResourceType<T> type, ObjectRef ref) {
    if (type.kind() == ResourceKind.RESOURCEQUOTAS) {
      return reader.get(ObjectRef.cluster(ResourceKind.NAMESPACES, ref.namespace())).thenApply(ns -> ns
          .flatMap(record -> RegistryObjects.quotas(record).stream()
              .filter(q -> ref.name().equals(QuotaType.INSTANCE.metadata(q).name())).findFirst())
          .map(type::cast));
    }
    return reader.get(ref).thenApply(record -> record.flatMap(r -> object(type, r)));
  }

  /** @param namespace the namespace listed, or "" for every namespace (and for cluster-scoped kinds) */
  <T> CompletionStage<Reply> list(ResourceType<T> type, String namespace, ListOptions options) {
    if (type.kind() == ResourceKind.RESOURCEQUOTAS) {
      return quotas(namespace, options).thenApply(r -> r);
    }
    byte[] prefix = namespace.isEmpty() ? RegistryKeys.prefix(type.kind())
        : RegistryKeys.prefix(type.kind(), namespace);
    String prefixText = new String(prefix, StandardCharsets.UTF_8);
    byte[] from = prefix;
    long revision = options.exact() ? options.resourceVersion().getAsLong() : 0;
    if (options.continueToken().isPresent()) {
      ContinueToken token = options.continueToken().get();
      if (!token.start().startsWith(prefixText)) {
        return done(Reply.failure(Parsed.badParameter("continue", "the continue token belongs to another list")));
      }
      from = after(token.start().getBytes(StandardCharsets.UTF_8));
      revision = token.revision();
    }
    Fill<T> fill = new Fill<>(type, Selection.of(type, options), options.limit(),
        KeyRange.prefix(prefix).to(), new ArrayList<>());
    return fill.next(from, revision)
        .handle((reply, failure) -> failure == null ? reply : Reply.failure(readFailure(failure, options)));
  }

  /** One list filling its page, a chunk of keys per quorum read, all at the first read's revision. */
  private final class Fill<T> {
    private final ResourceType<T> type;
    private final Selection<T> selection;
    private final long limit;
    private final byte[] end;
    private final List<T> items;

    Fill(ResourceType<T> type, Selection<T> selection, long limit, byte[] end, List<T> items) {
      this.type = type;
      this.selection = selection;
      this.limit = limit;
      this.end = end;
      this.items = items;
    }

    CompletionStage<Reply> next(byte[] from, long revision) {
      long wanted = limit == 0 ? 0 : limit - items.size();
      long chunk = limit == 0 || selection.isEverything() ? wanted : Math.max(wanted, settings.listChunk());
      return reader.page(KeyRange.between(from, end), revision, chunk).thenCompose(page -> take(page));
    }

    private CompletionStage<Reply> take(Page page) {
      List<Record> records = page.records();
      for (int i = 0; i < records.size(); i++) {
        Optional<T> object = Reads.this.object(type, records.get(i)).filter(selection::matches);
        object.ifPresent(items::add);
        if (limit > 0 && items.size() == limit) {
          boolean more = i < records.size() - 1 || page.more();
          return done(reply(page.revision(), more ? RegistryKeys.key(records.get(i).ref()) : null));
        }
      }
      if (!page.more() || page.lastKey() == null) {
        return done(reply(page.revision(), null));
      }
      return next(after(page.lastKey()), page.revision());
    }

    private Reply reply(long revision, byte[] continueAfter) {
      String token = continueAfter == null ? null
          : new ContinueToken(revision, new String(continueAfter, StandardCharsets.UTF_8)).encode();
      return Reply.of(200, type.list(new ListMeta(Long.toString(revision), token), items));
    }
  }

  /**
   * Quotas live in their namespace's record: the namespaces are read at one revision, their quotas
   * ordered by namespace then name, and a page continues after the last {@code namespace/name}.
   */
  private CompletionStage<Reply> quotas(String namespace, ListOptions options) {
    KeyRange range = namespace.isEmpty() ? KeyRange.prefix(RegistryKeys.prefix(ResourceKind.NAMESPACES))
        : KeyRange.key(RegistryKeys.key(ObjectRef.cluster(ResourceKind.NAMESPACES, namespace)));
    long revision = options.exact() ? options.resourceVersion().getAsLong() : 0;
    Optional<String[]> start = options.continueToken().map(t -> t.start().split("/", 2));
    if (start.isPresent() && (start.get().length != 2
        || (!namespace.isEmpty() && !start.get()[0].equals(namespace)))) {
      return done(Reply.failure(Parsed.badParameter("continue", "the continue token belongs to another list")));
    }
    long at = options.continueToken().map(ContinueToken::revision).orElse(revision);
    Selection<ResourceQuota> selection = Selection.of(QuotaType.INSTANCE, options);
    return reader.page(range, at, 0).thenApply(page -> {
      List<ResourceQuota> items = new ArrayList<>();
      String last = null;
      for (Record record : page.records()) {
        for (ResourceQuota quota : RegistryObjects.quotas(record)) {
          String ns = record.ref().name();
          String name = QuotaType.INSTANCE.metadata(quota).name();
          if (start.isPresent() && compare(ns, name, start.get()) <= 0 || !selection.matches(quota)) {
            continue;
          }
          if (options.limit() > 0 && items.size() == options.limit()) {
            String token = new ContinueToken(page.revision(), last).encode();
            return Reply.of(200, QuotaType.INSTANCE.list(new ListMeta(Long.toString(page.revision()), token), items));
          }
          items.add(quota);
          last = ns + "/" + name;
        }
      }
      return Reply.of(200, QuotaType.INSTANCE.list(new ListMeta(Long.toString(page.revision()), null), items));
    }).handle((reply, failure) -> failure == null ? reply : Reply.failure(readFailure(failure, options)));
  }

  private static int compare(String namespace, String name, String[] start) {
    int byNamespace = namespace.compareTo(start[0]);
    return byNamespace != 0 ? byNamespace : String.valueOf(name).compareTo(start[1]);
  }

  /** A revision the store no longer or not yet has is the client's token or resourceVersion at fault. */
  private static dev.pacific.api.Status readFailure(Throwable failure, ListOptions options) {
    Throwable cause = Failures.unwrap(failure);
    boolean continued = options.continueToken().isPresent();
    if (cause instanceof QuorumKv.Refused refused && refused.reason() == KvResult.Reason.COMPACTED) {
      return Failures.expired(continued
          ? "The provided continue parameter is too old to display a consistent list result. You can start a new"
              + " list without the continue parameter (" + refused.getMessage() + ")"
          : "too old resource version: " + options.resourceVersion().orElse(0) + " (" + refused.getMessage() + ")");
    }
    if (cause instanceof QuorumKv.Refused refused && refused.reason() == KvResult.Reason.FUTURE_REVISION) {
      return Parsed.badParameter(continued ? "continue" : "resourceVersion", refused.getMessage());
    }
    return Failures.status(failure);
  }

  /** The smallest key after {@code key}: where the next page starts. */
  private static byte[] after(byte[] key) {
    return Arrays.copyOf(key, key.length + 1);
  }

  private static CompletionStage<Reply> done(Reply reply) {
    return CompletableFuture.completedFuture(reply);
  }
}
