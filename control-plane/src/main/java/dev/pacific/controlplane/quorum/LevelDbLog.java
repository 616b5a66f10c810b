package dev.pacific.controlplane.quorum;

import dev.pacific.controlplane.quorum.raft.Entry;
import dev.pacific.controlplane.quorum.raft.HardState;
import dev.pacific.controlplane.quorum.raft.PersistedState;
import dev.pacific.controlplane.quorum.raft.Snapshot;
import dev.pacific.controlplane.quorum.store.LogStore;
import java.util.List;

/** The member's {@link DurableLog} on LevelDB: each save is one synced write batch. */
final class LevelDbLog implements DurableLog {

  private final LogStore store;

  LevelDbLog(LogStore store) {
    this.store = store;
  }

  @Override
  public PersistedState load() {
    return store.load();
  }

  @Override
  public void reload() {
    store.reload();
  }

  @Override
  public void save(Snapshot snapshot, List<Entry> entries, HardState hardState) {
    store.save(snapshot, entries, hardState);
  }
}
