package dev.pacific.controlplane.api;

import dev.pacific.controlplane.persistence.RegistryReader.Change;
import dev.pacific.controlplane.persistence.RegistryReader.Record;
import dev.pacific.controlplane.quorum.WatchEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns registry changes into the events one watch sends, with its selectors applied as
 * Kubernetes' watch cache applies them: an object that starts to match is ADDED, one that stops
 * matching is DELETED (carrying its last matching state at the new resourceVersion), and changes
 * to objects that never matched are not sent. Without selectors every change is sent with the
 * quorum's own type. It also remembers the last revision it has seen, which a BOOKMARK reports.
 *
 * <p>One instance serves one watch stream (it keeps the objects that currently match).
 */
final class WatchFilter<T> implements WatchEvents {

  private final ResourceType<T> type;
  private final Selection<T> selection;
  private final Map<String, T> matching = new HashMap<>();
  private final AtomicLong seen;

  WatchFilter(ResourceType<T> type, Selection<T> selection, long startRevision) {
    this.type = type;
    this.selection = selection;
    this.seen = new AtomicLong(startRevision);
  }

  /** The initial state: an ADDED for a matching object (watch without resourceVersion) and it counts as matching. */
  @Override
  public List<Event> existing(Record record) {
    return RegistryObjects.object(type, record).filter(selection::matches).map(object -> {
      remember(record, object);
      return List.of(new Event("ADDED", object));
    }).orElse(List.of());
  }

  /** The state at the watch's start revision, when it resumes from one: what matched then. */
  @Override
  public void seed(Record record) {
    RegistryObjects.object(type, record).filter(selection::matches).ifPresent(object -> remember(record, object));
  }

  /** Without selectors every change is sent as it is: nothing at the start revision decides its type. */
  @Override
  public boolean needsSeed() {
    return !selection.isEverything();
  }

  @Override
  public List<Event> events(Change change) {
    seen.accumulateAndGet(change.record().modRevision(), Math::max);
    Optional<T> decoded = RegistryObjects.object(type, change.record());
    if (decoded.isEmpty()) {
      return List.of();
    }
    T object = decoded.get();
    if (selection.isEverything()) {
      return List.of(new Event(change.type().name(), object));
    }
    String key = change.record().ref().toString();
    T before = matching.get(key);
    if (change.type() == WatchEvent.Type.DELETED) {
      return matching.remove(key) == null ? List.of() : List.of(new Event("DELETED", object));
    }
    if (selection.matches(object)) {
      matching.put(key, object);
      return List.of(new Event(before == null ? "ADDED" : "MODIFIED", object));
    }
    if (before != null) {
      matching.remove(key);
      return List.of(new Event("DELETED", RegistryObjects.withRevision(type, before, change.record().modRevision())));
    }
    return List.of();
  }

  @Override
  public long seenRevision() {
    return seen.get();
  }

  private void remember(Record record, T object) {
    if (!selection.isEverything()) {
      matching.put(record.ref().toString(), object);
    }
  }
}
