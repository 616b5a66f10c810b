package dev.pacific.controlplane.quorum.store;

import static dev.pacific.controlplane.quorum.store.KvFixture.b;
import static dev.pacific.controlplane.quorum.store.KvFixture.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pacific.controlplane.quorum.store.KvCommand.Compact;
import dev.pacific.controlplane.quorum.store.KvCommand.Delete;
import dev.pacific.controlplane.quorum.store.KvResult.CompactResult;
import dev.pacific.controlplane.quorum.store.KvResult.Reason;
import dev.pacific.controlplane.quorum.store.KvResult.Rejected;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** etcd's Compact through the log: history at and below the revision goes, every live key stays readable. */
class CompactionTest {

  private final KvFixture kv = new KvFixture();

  @AfterEach
  void cleanUp() {
    kv.close();
  }

  private List<Long> revisionsAfter(long revision) {
    return kv.store.changesAfter(revision, 1000).stream().map(c -> c.kv().modRevision()).toList();
  }

  @Test
  void aWatchFromBelowTheCompactedRevisionFailsWithTheOldestAvailable() {
    for (int i = 1; i <= 10; i++) {
      kv.put("k" + (i % 3), "v" + i);
    }
    assertEquals(new CompactResult(6, 10), kv.run(new Compact(6)));
    Compacted e = assertThrows(Compacted.class, () -> kv.store.changesAfter(5, 100));
    assertEquals(6, e.compactedRevision());
    assertEquals(List.of(7L, 8L, 9L, 10L), revisionsAfter(6), "from the compacted revision on, nothing is lost");
    assertThrows(Compacted.class, () -> kv.store.range(KeyRange.prefix(b("k")), 5, 0));
  }

  @Test
  void theLatestVersionOfEveryLiveKeyStaysReadableAtLaterRevisions() {
    kv.put("a", "1");             // 1
    kv.put("b", "1");             // 2
    kv.put("a", "2");             // 3
    kv.put("c", "1");             // 4
    kv.run(new Delete(KeyRange.key(b("c")))); // 5
    kv.put("d", "1");             // 6
    kv.run(new Compact(5));
    var at5 = kv.store.range(KeyRange.between(b("a"), b("z")), 5, 0);
    assertEquals(List.of("a", "b"), at5.kvs().stream().map(x -> s(x.key())).toList());
    assertEquals("2", s(at5.kvs().get(0).value()));
    var at6 = kv.store.range(KeyRange.between(b("a"), b("z")), 6, 0);
    assertEquals(List.of("a", "b", "d"), at6.kvs().stream().map(x -> s(x.key())).toList());
  }

  /**
   * Successive compactions keep exactly what etcd's would: every change after the compacted revision, and of
   * each key its last change at or below it when that was a put. Random puts and deletes over a few keys.
   */
  @Test
  void successiveCompactionsKeepExactlyTheLatestPutOfEachKeyAndEverythingAfter() {
    java.util.Random random = new java.util.Random(7);
    java.util.Map<Long, String> keyAt = new java.util.TreeMap<>(); // revision -> key changed
    java.util.Map<Long, Boolean> putAt = new java.util.TreeMap<>();
    java.util.Set<String> live = new java.util.TreeSet<>();
    long compacted = 0;
    for (int round = 0; round < 40; round++) {
      for (int i = 0; i < 25; i++) {
        String key = "k" + random.nextInt(6);
        boolean put = !live.contains(key) || random.nextInt(3) > 0;
        if (put) {
          kv.put(key, "v" + round + "-" + i);
          live.add(key);
        } else {
          kv.run(new Delete(KeyRange.key(b(key))));
          live.remove(key);
        }
        keyAt.put(kv.store.revision(), key);
        putAt.put(kv.store.revision(), put);
      }
      compacted = compacted + 1 + random.nextInt((int) (kv.store.revision() - compacted));
      assertInstanceOf(CompactResult.class, kv.run(new Compact(compacted)));
      java.util.Set<Long> expected = new java.util.TreeSet<>();
      java.util.Map<String, Long> lastUpTo = new java.util.HashMap<>();
      for (var e : keyAt.entrySet()) {
        if (e.getKey() > compacted) {
          expected.add(e.getKey());
        } else {
          lastUpTo.put(e.getValue(), e.getKey());
        }
      }
      lastUpTo.values().stream().filter(putAt::get).forEach(expected::add);
      java.util.Set<Long> kept = new java.util.TreeSet<>();
      KvImage.decode(kv.store.snapshot()).history().forEach(c -> kept.add(c.revision()));
      assertEquals(expected, kept, "history after compacting at " + compacted);
    }
  }

  @Test
  void compactionIsRefusedAtOrBelowTheCompactedRevisionAndInTheFuture() {
    kv.put("a", "1");
    kv.put("a", "2");
    kv.run(new Compact(1));
    assertEquals(Reason.COMPACTED, ((Rejected) kv.run(new Compact(1))).reason());
    assertEquals(Reason.FUTURE_REVISION, ((Rejected) kv.run(new Compact(3))).reason());
    assertInstanceOf(CompactResult.class, kv.run(new Compact(2)));
  }

  @Test
  void theCompactedRevisionSurvivesRestartAndSnapshotAndIsInTheStateHash() {
    for (int i = 0; i < 5; i++) {
      kv.put("k", "v" + i);
    }
    String before = kv.store.stateHash();
    kv.run(new Compact(3));
    assertNotEquals(before, kv.store.stateHash(), "two members compacted differently must not look equal");
    String hash = kv.store.stateHash();
    kv.reopen();
    assertEquals(3, kv.store.compactedRevision());
    assertEquals(hash, kv.store.stateHash());
    byte[] image = kv.store.snapshot();
    try (KvFixture other = new KvFixture()) {
      other.store.restore(image);
      assertEquals(3, other.store.compactedRevision());
      assertEquals(hash, other.store.stateHash());
      assertThrows(Compacted.class, () -> other.store.changesAfter(2, 10));
      assertEquals(List.of(4L, 5L), other.store.changesAfter(3, 10).stream().map(c -> c.kv().modRevision()).toList());
    }
  }
}
