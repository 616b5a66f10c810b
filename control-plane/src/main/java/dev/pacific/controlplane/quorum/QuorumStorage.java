package dev.pacific.controlplane.quorum;

import com.typesafe.config.Config;
import dev.pacific.controlplane.quorum.store.KvSettings;
import dev.pacific.controlplane.quorum.store.KvStore;
import dev.pacific.controlplane.quorum.store.LogStore;
import dev.pacific.controlplane.quorum.store.StoreException;
import java.nio.file.Path;

/**
 * A member's quorum data on disk: the Raft log in {@code <data-dir>/quorum/log} and the key-value
 * state in {@code <data-dir>/quorum/kv}, both LevelDB. Opening refuses what would be unsafe.
 */
public final class QuorumStorage implements AutoCloseable {

  private final LogStore log;
  private final KvStore kv;
  private final KvStateMachine machine;
  private final QuorumWatch watch;

  private QuorumStorage(LogStore log, KvStore kv, Config config, MonotonicClock clock) {
    this.log = log;
    this.kv = kv;
    this.machine = new KvStateMachine(kv, Housekeeping.fromConfig(config.getConfig("pacific.quorum")), clock);
    WatchHub hub = new WatchHub();
    kv.setListener(hub);
    this.watch = new QuorumWatch(kv, hub, config.getInt("pacific.quorum.watch.buffer"));
  }

  /**
   * @throws StoreException with a message for the operator when a directory is unreadable or
   *     corrupt, or when {@code pacific.quorum.require-existing-data} is on and the data is gone
   */
  public static QuorumStorage open(Path dataDir, String member, Config config) {
    return open(dataDir, member, config, MonotonicClock.SYSTEM);
  }

  /** As {@link #open(Path, String, Config)}, with the clock lease deadlines and compaction ages go by. */
  public static QuorumStorage open(Path dataDir, String member, Config config, MonotonicClock clock) {
    Path root = dataDir.resolve("quorum");
    LogStore log = LogStore.open(root.resolve("log"));
    KvStore kv;
    try {
      kv = KvStore.open(root.resolve("kv"), KvSettings.fromConfig(config.getConfig("pacific.quorum")));
    } catch (RuntimeException e) {
      log.close();
      throw e;
    }
    if (log.created() && config.getBoolean("pacific.quorum.require-existing-data")) {
      log.close();
      kv.close();
      throw new StoreException(member + " has run before, but its quorum data in " + root + " is missing: "
          + "rejoining without it could cast a second vote in a term it already voted in. Restore the "
          + "directory from a backup, or replace the member with a new one");
    }
    return new QuorumStorage(log, kv, config, clock);
  }

  public DurableLog log() {
    return new LevelDbLog(log);
  }

  /** Watches on this member's applied state (fed by the state machine as it applies). */
  public QuorumWatch watch() {
    return watch;
  }

  /** The key-value store itself, for watches (its history reads are safe on any thread) and figures. */
  public KvStore kvStore() {
    return kv;
  }

  /** The one state machine over this storage: it keeps the lease deadlines, so there is only one. */
  public KvStateMachine stateMachine() {
    return machine;
  }

  @Override
  public void close() {
    kv.close();
    log.close();
  }
}
