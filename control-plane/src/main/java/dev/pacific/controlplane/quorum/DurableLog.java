package dev.pacific.controlplane.quorum;

import dev.pacific.controlplane.quorum.raft.Entry;
import dev.pacific.controlplane.quorum.raft.HardState;
import dev.pacific.controlplane.quorum.raft.PersistedState;
import dev.pacific.controlplane.quorum.raft.Snapshot;
import java.util.List;

/**
 * Where a member keeps its Raft log, hard state and latest snapshot. The
 * LevelDB store implements it with one synced {@code WriteBatch} per
 * {@link #save} ({@link LevelDbLog}); tests keep it in memory.
 */
public interface DurableLog {

  /**
   * What was saved before a restart. The {@code applied} field is ignored by the
   * member: the {@link StateMachine} knows its own applied index.
   */
  PersistedState load();

  /**
   * Saves durably and atomically, before the member sends any message that
   * depends on it (Raft paper Fig. 2): {@code snapshot} (or null) replaces the
   * log up to its index; {@code entries} replace any saved entries at the same
   * or higher indexes; {@code hardState} (or null) replaces the saved one.
   */
  void save(Snapshot snapshot, List<Entry> entries, HardState hardState);

  /**
   * Forgets what is held in memory and reads it again from storage, as a restarted process would: the member
   * calls it when its actor restarts after a failure. The default (a log kept only in memory) has nothing to read.
   */
  default void reload() {
  }
}
