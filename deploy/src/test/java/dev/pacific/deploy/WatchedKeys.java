package dev.pacific.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The watcher tests' keys ({@code watched/k0} … {@code watched/k9}) and their check: every change
 * seen once, in revision order, every acknowledged write seen with its value, and none missed. The
 * registry and the elections share the revision counter, so revisions grow with gaps; a missed
 * change of a watched key shows as a key whose version grew more than the events seen for it.
 */
final class WatchedKeys {

  static final int KEYS = 10;

  private WatchedKeys() {}

  static String key(int i) {
    return "watched/k" + (i % KEYS);
  }

  /** Each watched key's version (0: absent), read linearizably through {@code kv}. */
  static Map<String, Long> versions(Kv kv, Duration deadline) throws InterruptedException {
    Map<String, Long> versions = new HashMap<>();
    for (int k = 0; k < KEYS; k++) {
      String key = key(k);
      Kv.Answer[] a = {null};
      Http.await(deadline, "a read of " + key, () -> {
        a[0] = kv.get(key);
        return a[0] != null && (a[0].code() == 200 || a[0].code() == 404);
      });
      versions.put(key, a[0].code() == 404 ? 0L : a[0].version());
    }
    return versions;
  }

  /** {@code acked}: {revision, i} of each acknowledged put of value "v" + i. */
  static void check(List<WatchFollower.Seen> seen, long start, List<long[]> acked, Map<String, Long> before,
                    Map<String, Long> after) {
    Map<Long, WatchFollower.Seen> byRevision = new HashMap<>();
    Map<String, Long> eventsPerKey = new HashMap<>();
    long previous = start;
    for (WatchFollower.Seen e : seen) {
      assertTrue(e.modRevision() > previous, "events come once each, in revision order: " + e + " after " + previous);
      previous = e.modRevision();
      byRevision.put(e.modRevision(), e);
      eventsPerKey.merge(e.key(), 1L, Long::sum);
    }
    synchronized (acked) {
      for (long[] a : acked) {
        WatchFollower.Seen e = byRevision.get(a[0]);
        assertTrue(e != null && ("v" + a[1]).equals(e.value()), "acknowledged write at revision " + a[0] + " seen");
      }
    }
    for (String key : after.keySet()) {
      assertEquals(after.get(key) - before.get(key), (long) eventsPerKey.getOrDefault(key, 0L),
          "every committed change of " + key + " was seen (its version went from " + before.get(key) + " to "
              + after.get(key) + ")");
    }
  }
}
