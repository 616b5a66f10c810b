package dev.pacific.controlplane.quorum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import dev.pacific.controlplane.quorum.raft.Entry;
import dev.pacific.controlplane.quorum.raft.HardState;
import dev.pacific.controlplane.quorum.raft.Snapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The in-memory log and key-value store keep the contracts the LevelDB ones will. */
class MemoryStoresTest {

  private static Entry entry(long term, long index, byte[] data) {
    return new Entry(term, index, data);
  }

  @Test
  void savedEntriesReplaceTheTailFromTheirFirstIndex() {
    MemoryLog log = new MemoryLog();
    log.save(null, List.of(entry(1, 1, null), entry(1, 2, null), entry(1, 3, null)), new HardState(1, "cp-1", 2));
    log.save(null, List.of(entry(2, 2, null)), null);
    var loaded = log.load();
    assertEquals(List.of(entry(1, 1, null), entry(2, 2, null)), loaded.entries());
    assertEquals(new HardState(1, "cp-1", 2), loaded.hardState());
  }

  @Test
  void ownCompactionKeepsTheEntriesAfterTheSnapshotButALeadersConflictingSnapshotDropsThem() {
    MemoryLog log = new MemoryLog();
    log.save(null, List.of(entry(1, 1, null), entry(1, 2, null), entry(1, 3, null)), new HardState(1, null, 3));
    log.save(new Snapshot(2, 1, new byte[] {9}), List.of(), null);
    assertEquals(List.of(entry(1, 3, null)), log.load().entries());
    log.save(new Snapshot(5, 3, new byte[] {8}), List.of(), new HardState(3, null, 5));
    assertEquals(List.of(), log.load().entries());
    assertEquals(5, log.load().snapshot().index());
  }

  @Test
  void aRetriedSequenceNumberAppliesOnceAndAnswersAsTheFirstTime() {
    MemoryKv kv = new MemoryKv();
    byte[] put = MemoryKv.SESSIONS.wrap("c1", 1, MemoryKv.put("a", new byte[] {1}));
    List<byte[]> results = kv.applyBatch(List.of(entry(1, 1, put), entry(1, 2, new byte[0]), entry(1, 3, put)));
    assertArrayEquals(results.get(0), results.get(2));
    assertEquals(1, kv.writesApplied());
    assertEquals(3, kv.appliedIndex());
  }

  @Test
  void aRestoredSnapshotHasTheSameStateHash() {
    MemoryKv kv = new MemoryKv();
    kv.applyBatch(List.of(entry(1, 1, MemoryKv.SESSIONS.wrap("c1", 1, MemoryKv.put("a", new byte[] {1}))),
        entry(1, 2, MemoryKv.SESSIONS.wrap("c1", 2, MemoryKv.delete("a"))),
        entry(1, 3, MemoryKv.SESSIONS.wrap("c2", 1, MemoryKv.put("b", new byte[] {2})))));
    MemoryKv copy = new MemoryKv();
    copy.restore(new Snapshot(3, 1, kv.snapshot()));
    assertEquals(kv.stateHash(), copy.stateHash());
    assertEquals(3, copy.appliedIndex());
    assertArrayEquals(new byte[] {2}, copy.query(MemoryKv.get("b")));
    assertNotEquals(kv.stateHash(), new MemoryKv().stateHash());
  }

  @Test
  void aStateMachineAppliesOnlyTheNextIndex() {
    assertThrows(IllegalStateException.class, () -> new MemoryKv().applyBatch(List.of(entry(1, 2, null))));
  }

  @Test
  void peersAreNamedInConfigurationAndAMalformedOneSaysWhatIsExpected() {
    var config = ConfigFactory.parseString("pacific.control-plane.peers = [\"cp-1=127.0.0.1:1\", \"cp-2=h:2\"]");
    assertEquals(Map.of("cp-1", "127.0.0.1:1", "cp-2", "h:2"), QuorumSettings.parsePeers(config));
    var bad = ConfigFactory.parseString("pacific.control-plane.peers = [\"cp-1@127.0.0.1:1\"]");
    var e = assertThrows(IllegalArgumentException.class, () -> QuorumSettings.parsePeers(bad));
    assertEquals("pacific.control-plane.peers entry 'cp-1@127.0.0.1:1' is not name=host:port", e.getMessage());
  }
}
