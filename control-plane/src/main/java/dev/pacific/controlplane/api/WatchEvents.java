package dev.pacific.controlplane.api;

import dev.pacific.controlplane.persistence.RegistryReader.Change;
import dev.pacific.controlplane.persistence.RegistryReader.Record;
import java.util.List;

/**
 * What one watch stream sends for the registry records it follows: the objects of a kind for a
 * kind with keys of its own ({@link WatchFilter}), the quotas inside namespace records for resource
 * quotas ({@link QuotaWatchFilter}). One instance serves one stream and may keep state between calls.
 */
sealed interface WatchEvents permits WatchFilter, QuotaWatchFilter {

  /** One event to send: ADDED, MODIFIED or DELETED and the object as the client sees it. */
  record Event(String type, Object object) {}

  /** A record that exists when a watch without resourceVersion starts: its ADDED events. */
  List<Event> existing(Record record);

  /** A record as it was at the resourceVersion a watch resumes from: what the next change is compared with. */
  void seed(Record record);

  /** Whether a watch resuming from a resourceVersion must read the records at it and {@link #seed} them first. */
  boolean needsSeed();

  List<Event> events(Change change);

  /** The newest revision this watch has passed: resuming after it misses nothing it would have sent. */
  long seenRevision();
}
