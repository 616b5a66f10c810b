package dev.pacific.controlplane.quorum.store;

import static dev.pacific.controlplane.quorum.store.KvFixture.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.controlplane.quorum.raft.Entry;
import dev.pacific.controlplane.quorum.store.KvCommand.Compare;
import dev.pacific.controlplane.quorum.store.KvCommand.Delete;
import dev.pacific.controlplane.quorum.store.KvCommand.Op;
import dev.pacific.controlplane.quorum.store.KvCommand.Put;
import dev.pacific.controlplane.quorum.store.KvCommand.Txn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Restart, replay, snapshots and refused directories: every member at one applied index has one state hash. */
class KvDurabilityTest {

  /** A seeded stream of puts, deletes, CASes and retries from a few clients, as entries. */
  private static List<Entry> workload(KvFixture kv, long seed, int n) {
    Random random = new Random(seed);
    long[] seqs = new long[4];
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      kv.leaderTime += random.nextInt(50);
      int client = random.nextInt(seqs.length);
      boolean retry = seqs[client] > 0 && random.nextInt(5) == 0;
      long seq = retry ? seqs[client] : ++seqs[client];
      byte[] key = b("k/" + random.nextInt(20));
      KvCommand c = switch (random.nextInt(4)) {
        case 0 -> new Delete(random.nextBoolean() ? KeyRange.key(key) : KeyRange.prefix(b("k/1")));
        case 1 -> new Txn(List.of(Compare.version(key, Op.LESS, 3)), List.of(new Put(key, b("cas" + i))), List.of());
        default -> new Put(key, b("v" + i));
      };
      entries.add(random.nextInt(10) == 0 ? new Entry(1, ++kv.index, new byte[0]) : kv.entry(client + 1, seq, c));
    }
    return entries;
  }

  @Test
  void aRestartedStoreHasTheSameStateHashAppliedIndexAndHistory() {
    try (KvFixture kv = new KvFixture()) {
      kv.store.applyBatch(workload(kv, 1, 300));
      String hash = kv.store.stateHash();
      long applied = kv.store.appliedIndex();
      long revision = kv.store.revision();
      List<Change> history = kv.store.changesAfter(0, 10_000);
      kv.reopen();
      assertEquals(hash, kv.store.stateHash());
      assertEquals(applied, kv.store.appliedIndex());
      assertEquals(revision, kv.store.revision());
      assertEquals(history, kv.store.changesAfter(0, 10_000));
    }
  }

  @Test
  void membersApplyingOneLogInDifferentBatchesAndRestartsAgree() {
    try (KvFixture a = new KvFixture(); KvFixture b = new KvFixture()) {
      List<Entry> log = workload(a, 7, 400);
      a.store.applyBatch(log);
      for (int i = 0; i < log.size(); i += 37) {
        b.store.applyBatch(log.subList(i, Math.min(log.size(), i + 37)));
        if (i % 3 == 0) {
          b.reopen();
        }
      }
      b.store.applyBatch(log.subList(0, 100)); // a replay after restart changes nothing
      assertEquals(a.store.appliedIndex(), b.store.appliedIndex());
      assertEquals(a.store.stateHash(), b.store.stateHash());
      assertEquals(a.store.changesAfter(0, 10_000), b.store.changesAfter(0, 10_000));
    }
  }

  @Test
  void restoringASnapshotGivesTheSameStateHashSessionsAndHistory() {
    try (KvFixture source = new KvFixture(); KvFixture target = new KvFixture()) {
      List<Entry> log = workload(source, 3, 300);
      source.store.applyBatch(log);
      target.put("stale", "state");
      byte[] image = source.store.snapshot();
      target.store.restore(image);
      assertEquals(source.store.stateHash(), target.store.stateHash());
      assertEquals(source.store.appliedIndex(), target.store.appliedIndex());
      assertEquals(source.store.sessionCount(), target.store.sessionCount());
      assertTrue(target.store.get(b("stale")).isEmpty());
      long mid = source.store.revision() / 2;
      assertEquals(source.store.range(KeyRange.prefix(b("k/")), mid, 0),
          target.store.range(KeyRange.prefix(b("k/")), mid, 0));
      target.reopen();
      assertEquals(source.store.stateHash(), target.store.stateHash());
      // Both continue identically, sessions included: the same retries are answered, not re-applied.
      target.index = source.index;
      target.leaderTime = source.leaderTime;
      List<Entry> more = workload(source, 4, 100);
      source.store.applyBatch(more);
      target.store.applyBatch(more);
      assertEquals(source.store.stateHash(), target.store.stateHash());
    }
  }

  @Test
  void theStateHashChangesWithTheState() {
    try (KvFixture kv = new KvFixture()) {
      String empty = kv.store.stateHash();
      kv.put("a", "1");
      String one = kv.store.stateHash();
      kv.put("a", "1");
      assertNotEquals(empty, one);
      assertNotEquals(one, kv.store.stateHash(), "same value, new mod revision and version");
      assertEquals(64, one.length());
    }
  }

  @Test
  void aDirectoryOfGarbageIsRefusedByName() throws Exception {
    Path root = TempDirs.create("kv-garbage");
    try {
      Path dir = root.resolve("kv");
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("CURRENT"), "garbage\n");
      Files.write(dir.resolve("000001.ldb"), new byte[] {0, 1, 2});
      StoreException e = assertThrows(StoreException.class, () -> KvStore.open(dir, KvSettings.DEFAULT));
      assertTrue(e.getMessage().contains(dir.toAbsolutePath().toString()), e.getMessage());
    } finally {
      TempDirs.delete(root);
    }
  }

  @Test
  void aLogDirectoryIsNotTakenForKeyValueState() {
    Path root = TempDirs.create("kv-kind");
    try {
      LogStore.open(root.resolve("raft")).close();
      StoreException e = assertThrows(StoreException.class,
          () -> KvStore.open(root.resolve("raft"), KvSettings.DEFAULT));
      assertTrue(e.getMessage().contains("pacific raft log"), e.getMessage());
    } finally {
      TempDirs.delete(root);
    }
  }
}
