package dev.pacific.controlplane.api;

import dev.pacific.api.Json;
import dev.pacific.api.ObjectMeta;
import dev.pacific.api.ResourceQuota;
import dev.pacific.controlplane.persistence.RegistryReader.Change;
import dev.pacific.controlplane.persistence.RegistryReader.Record;
import dev.pacific.controlplane.quorum.WatchEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The events of one resource quota watch. Quotas have no registry keys of their own: they live in
 * their namespace's record, so the watch follows the namespace keys and {@linkplain #diff diffs}
 * each namespace's quotas before and after every change to it. A quota's resourceVersion is its
 * namespace record's mod revision, as gets and lists show it ({@link RegistryObjects#quotas}), so a
 * list's resourceVersion followed by a watch from it neither misses nor repeats a change.
 *
 * <p>Selectors work as {@link WatchFilter}'s: only the quotas that match are compared, so a quota
 * that starts to match is ADDED and one that stops is DELETED with its last matching state.
 *
 * <p>One instance serves one watch stream: it keeps the matching quotas of every namespace it has
 * seen (as of the last change to that namespace).
 */
final class QuotaWatchFilter implements WatchEvents {

  private final Selection<ResourceQuota> selection;
  private final Map<String, List<ResourceQuota>> matching = new HashMap<>();
  private final AtomicLong seen;

  QuotaWatchFilter(Selection<ResourceQuota> selection, long startRevision) {
    this.selection = selection;
    this.seen = new AtomicLong(startRevision);
  }

  @Override
  public List<Event> existing(Record namespace) {
    seed(namespace);
    return matching.getOrDefault(namespace.ref().name(), List.of()).stream()
        .map(quota -> new Event("ADDED", quota)).toList();
  }

  @Override
  public void seed(Record namespace) {
    List<ResourceQuota> quotas = matchingQuotas(namespace);
    if (!quotas.isEmpty()) {
      matching.put(namespace.ref().name(), quotas);
    }
  }

  /** Always: a namespace's next change is an event only by comparison with its quotas before. */
  @Override
  public boolean needsSeed() {
    return true;
  }

  @Override
  public List<Event> events(Change change) {
    long revision = change.record().modRevision();
    seen.accumulateAndGet(revision, Math::max);
    String namespace = change.record().ref().name();
    List<ResourceQuota> after = change.type() == WatchEvent.Type.DELETED ? List.of() : matchingQuotas(change.record());
    List<ResourceQuota> before = after.isEmpty() ? matching.remove(namespace) : matching.put(namespace, after);
    return diff(before == null ? List.of() : before, after, revision);
  }

  @Override
  public long seenRevision() {
    return seen.get();
  }

  private List<ResourceQuota> matchingQuotas(Record namespace) {
    return RegistryObjects.quotas(namespace).stream().filter(selection::matches).toList();
  }

  /**
   * The events that take one namespace's quotas from {@code before} to {@code after} (both of that
   * namespace), in the order of the quotas' names, each at {@code revision}: a quota only in
   * {@code after} is ADDED, one only in {@code before} DELETED with its last state, one in both
   * MODIFIED when anything but its resourceVersion differs (spec, status — usage too — or
   * metadata). A quota whose uid changed was deleted and created again: DELETED, then ADDED.
   */
  static List<Event> diff(Collection<ResourceQuota> before, Collection<ResourceQuota> after, long revision) {
    SortedMap<String, ResourceQuota> old = byName(before);
    SortedMap<String, ResourceQuota> now = byName(after);
    TreeSet<String> names = new TreeSet<>(old.keySet());
    names.addAll(now.keySet());
    List<Event> events = new ArrayList<>();
    for (String name : names) {
      ResourceQuota was = old.get(name);
      ResourceQuota is = now.get(name);
      if (was != null && (is == null || !Objects.equals(meta(was).uid(), meta(is).uid()))) {
        events.add(new Event("DELETED", at(was, revision)));
        was = null;
      }
      if (is != null && was == null) {
        events.add(new Event("ADDED", at(is, revision)));
      } else if (is != null && !sameApartFromRevision(was, is)) {
        events.add(new Event("MODIFIED", at(is, revision)));
      }
    }
    return events;
  }

  private static SortedMap<String, ResourceQuota> byName(Collection<ResourceQuota> quotas) {
    SortedMap<String, ResourceQuota> named = new TreeMap<>();
    quotas.forEach(q -> named.put(String.valueOf(meta(q).name()), q));
    return named;
  }

  /**
   * Compared as clients read them, not with {@code equals}: {@link dev.pacific.api.Quantity} calls
   * 1Gi and 1073741824 equal, but a client that wrote one over the other reads a change.
   */
  private static boolean sameApartFromRevision(ResourceQuota a, ResourceQuota b) {
    return Arrays.equals(Json.write(at(a, 0)), Json.write(at(b, 0)));
  }

  private static ResourceQuota at(ResourceQuota quota, long revision) {
    return RegistryObjects.withRevision(QuotaType.INSTANCE, quota, revision);
  }

  private static ObjectMeta meta(ResourceQuota quota) {
    return QuotaType.INSTANCE.metadata(quota);
  }
}
