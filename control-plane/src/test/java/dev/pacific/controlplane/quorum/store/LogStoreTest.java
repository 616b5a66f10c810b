package dev.pacific.controlplane.quorum.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.controlplane.quorum.raft.Entry;
import dev.pacific.controlplane.quorum.raft.HardState;
import dev.pacific.controlplane.quorum.raft.PersistedState;
import dev.pacific.controlplane.quorum.raft.Snapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogStoreTest {

  private Path dir;
  private LogStore log;

  @BeforeEach
  void open() {
    dir = TempDirs.create("log");
    log = LogStore.open(dir.resolve("raft"));
  }

  @AfterEach
  void cleanUp() {
    if (log != null) {
      log.close();
    }
    TempDirs.delete(dir);
  }

  static List<Entry> entries(long term, long from, long to) {
    List<Entry> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(new Entry(term, i, ("t" + term + "-i" + i).getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  private void reopen() {
    log.close();
    log = LogStore.open(dir.resolve("raft"));
  }

  @Test
  void onlyEntriesSnapshotsTermsAndVotesAreSyncedNotACommitIndexMovingAlone() {
    log.save(null, entries(3, 1, 5), new HardState(3, "cp-2", 0));
    assertEquals(1, log.syncs());
    log.save(null, List.of(), new HardState(3, "cp-2", 4)); // etcd's MustSync: the commit index alone need not be
    assertEquals(1, log.syncs());
    log.save(null, List.of(), new HardState(4, null, 4));
    assertEquals(2, log.syncs(), "a new term is synced");
    log.save(null, List.of(), new HardState(4, "cp-1", 4));
    assertEquals(3, log.syncs(), "a vote is synced");
    log.save(new Snapshot(3, 3, new byte[] {1}), List.of(), null);
    assertEquals(4, log.syncs(), "a snapshot is synced");
    reopen(); // a process crash keeps the unsynced write too (it is in the OS, not lost with the JVM)
    assertEquals(new HardState(4, "cp-1", 4), log.load().hardState());
    log.save(null, List.of(), new HardState(4, "cp-1", 5));
    assertEquals(0, log.syncs(), "after a restart the saved term and vote are known, so still no sync");
  }

  @Test
  void entriesAndHardStateSurviveARestart() {
    assertTrue(log.created());
    HardState hs = new HardState(3, "cp-2", 4);
    log.save(null, entries(3, 1, 5), hs);
    reopen();
    assertFalse(log.created());
    PersistedState p = log.load();
    assertEquals(hs, p.hardState());
    assertEquals(entries(3, 1, 5), p.entries());
    assertEquals(Snapshot.EMPTY, p.snapshot());
    assertEquals(5, log.lastIndex());
  }

  @Test
  void newEntriesReplaceTheConflictingSuffix() {
    log.save(null, entries(1, 1, 5), new HardState(1, null, 2));
    log.save(null, entries(2, 3, 4), new HardState(2, "cp-1", 2));
    reopen();
    List<Entry> expected = new ArrayList<>(entries(1, 1, 2));
    expected.addAll(entries(2, 3, 4));
    assertEquals(expected, log.load().entries());
    assertEquals(4, log.lastIndex());
    assertEquals(new HardState(2, "cp-1", 2), log.hardState());
  }

  @Test
  void entriesThatLeaveAGapAreRefused() {
    log.save(null, entries(1, 1, 3), null);
    assertThrows(IllegalArgumentException.class, () -> log.save(null, entries(1, 5, 6), null));
    assertEquals(entries(1, 1, 3), log.load().entries());
  }

  @Test
  void ownSnapshotCompactsTheEntriesItCovers() {
    log.save(null, entries(1, 1, 10), new HardState(1, null, 10));
    Snapshot s = new Snapshot(6, 1, "image".getBytes(StandardCharsets.UTF_8));
    log.compact(s);
    reopen();
    PersistedState p = log.load();
    assertEquals(6, p.snapshot().index());
    assertEquals("image", new String(p.snapshot().data(), StandardCharsets.UTF_8));
    assertEquals(entries(1, 7, 10), p.entries());
    assertEquals(7, log.firstIndex());
    assertEquals(10, log.lastIndex());
  }

  @Test
  void aMarkerSurvivesAReopenAndALeadersImageReplacesIt() {
    log.save(null, entries(1, 1, 10), new HardState(1, null, 10));
    log.compact(Snapshot.marker(6, 1));
    reopen();
    PersistedState p = log.load();
    assertEquals(6, p.snapshot().index());
    assertFalse(p.snapshot().hasImage(), "a marker, not an empty image: " + p.snapshot());
    assertEquals(entries(1, 7, 10), p.entries());
    log.save(new Snapshot(12, 2, "image".getBytes(StandardCharsets.UTF_8)), List.of(), new HardState(2, null, 12));
    reopen();
    assertEquals("image", new String(log.load().snapshot().data(), StandardCharsets.UTF_8));
  }

  @Test
  void leadersSnapshotThatDoesNotMatchReplacesTheLog() {
    log.save(null, entries(1, 1, 5), new HardState(1, null, 2));
    log.save(new Snapshot(8, 3, new byte[] {1}), List.of(), new HardState(3, null, 8));
    log.save(null, entries(3, 9, 9), null);
    reopen();
    PersistedState p = log.load();
    assertEquals(8, p.snapshot().index());
    assertEquals(entries(3, 9, 9), p.entries());
    assertEquals(9, log.lastIndex());
  }

  @Test
  void snapshotOverlappingAMatchingLogKeepsTheEntriesAfterIt() {
    log.save(null, entries(2, 1, 5), null);
    log.save(new Snapshot(3, 2, new byte[0]), entries(2, 6, 6), null);
    assertEquals(entries(2, 4, 6), log.load().entries());
  }

  @Test
  void loadWithAppliedIndexTellsTheCoreWhatTheStateMachineHolds() {
    log.save(null, entries(1, 1, 4), new HardState(1, null, 4));
    assertEquals(3, log.load(3).applied());
  }

  @Test
  void directoryWithGarbageIsRefusedByName() throws Exception {
    Path bad = dir.resolve("garbage");
    Files.createDirectories(bad);
    Files.write(bad.resolve("000003.log"), new byte[] {1, 2, 3, 4});
    StoreException e = assertThrows(StoreException.class, () -> LogStore.open(bad));
    assertTrue(e.getMessage().contains(bad.toAbsolutePath().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("move it away"), e.getMessage());
  }

  @Test
  void corruptManifestIsRefusedByName() throws Exception {
    Path bad = dir.resolve("corrupt");
    Files.createDirectories(bad);
    Files.writeString(bad.resolve("CURRENT"), "MANIFEST-000002\n");
    Files.write(bad.resolve("MANIFEST-000002"), "not a manifest at all".getBytes(StandardCharsets.UTF_8));
    StoreException e = assertThrows(StoreException.class, () -> LogStore.open(bad));
    assertTrue(e.getMessage().contains(bad.toAbsolutePath().toString()), e.getMessage());
  }

  @Test
  void aDatabaseWhoseCreationWasInterruptedIsFinishedNotRefused() throws Exception {
    Path half = dir.resolve("half");
    org.fusesource.leveldbjni.JniDBFactory.factory.open(half.toFile(),
        new org.iq80.leveldb.Options().createIfMissing(true)).close();
    try (LogStore fresh = LogStore.open(half)) {
      assertTrue(fresh.created());
      assertEquals(0, fresh.lastIndex());
    }
  }
}
