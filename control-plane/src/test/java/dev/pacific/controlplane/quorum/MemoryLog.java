package dev.pacific.controlplane.quorum;

import dev.pacific.controlplane.quorum.raft.Entry;
import dev.pacific.controlplane.quorum.raft.HardState;
import dev.pacific.controlplane.quorum.raft.PersistedState;
import dev.pacific.controlplane.quorum.raft.Snapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link DurableLog} in memory: survives an actor restart but not the JVM.
 * Used by tests and by members configured with {@code pacific.quorum.storage = memory}
 * until the LevelDB store is wired in.
 */
public final class MemoryLog implements DurableLog {

  private HardState hardState = HardState.EMPTY;
  private Snapshot snapshot = Snapshot.EMPTY;
  private final List<Entry> entries = new ArrayList<>();
  private long saves;

  /** How many times {@link #save} ran: one per Ready with something to persist (group commit). */
  public synchronized long saves() {
    return saves;
  }

  @Override
  public synchronized PersistedState load() {
    return PersistedState.of(hardState, snapshot, entries);
  }

  /**
   * A snapshot drops the entries it covers; the entries after it stay only if
   * the log matches the snapshot at its index (§5.3 log matching), as after
   * this member's own compaction; a leader's snapshot that conflicts replaces all.
   */
  @Override
  public synchronized void save(Snapshot newSnapshot, List<Entry> newEntries, HardState newHardState) {
    saves++;
    if (newSnapshot != null && newSnapshot.index() > snapshot.index()) {
      boolean matches = entries.stream()
          .anyMatch(e -> e.index() == newSnapshot.index() && e.term() == newSnapshot.term());
      snapshot = newSnapshot;
      entries.removeIf(e -> !matches || e.index() <= newSnapshot.index());
    }
    if (!newEntries.isEmpty()) {
      long first = newEntries.get(0).index();
      entries.removeIf(e -> e.index() >= first);
      entries.addAll(newEntries);
    }
    if (newHardState != null) {
      hardState = newHardState;
    }
  }
}
