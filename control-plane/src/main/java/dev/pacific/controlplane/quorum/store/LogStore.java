package dev.pacific.controlplane.quorum.store;

import dev.pacific.controlplane.quorum.raft.Entry;
import dev.pacific.controlplane.quorum.raft.HardState;
import dev.pacific.controlplane.quorum.raft.PersistedState;
import dev.pacific.controlplane.quorum.raft.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.WriteBatch;

/**
 * A member's Raft log, hard state and latest snapshot in LevelDB: the durable
 * half of the core's {@code Ready} contract. Each {@link #save} is one
 * {@code WriteBatch}, so a crash keeps all of a call or none of it, and a
 * driver that gathers every waiting proposal into one call pays one fsync for
 * all of them (group commit, as etcd's raft node does per Ready). A save that
 * only moves the commit index is not synced (etcd's {@code MustSync}): the
 * commit index is volatile state in Raft (paper Fig. 2), a restarted member
 * learns it again from the leader, and the next synced save makes it durable
 * anyway (LevelDB's log is written in order).
 *
 * <p>Not thread-safe: the member actor owns it.
 */
public final class LogStore implements AutoCloseable {

  static final String KIND = "pacific raft log";
  private static final byte[] HARD_STATE = {'h'};
  private static final byte[] SNAPSHOT = {'s'};
  /** Present while the snapshot is a {@link Snapshot#marker marker}: the state machine holds its state itself. */
  private static final byte[] SNAPSHOT_MARKER = {'m'};
  private static final byte ENTRY = 'e';

  private final Path dir;
  private final DB db;
  private final boolean created;
  private Snapshot snapshot;
  /** Index of the last entry, or the snapshot's index when no entry follows it. */
  private long lastIndex;
  /** The term and vote as last synced: a save that changes either must sync (§5.1, one vote per term). */
  private HardState synced;
  private long syncs;

  private LogStore(Path dir, LevelDb.Opened opened) {
    this.dir = dir;
    this.db = opened.db();
    this.created = opened.created();
    reload();
  }

  /**
   * Reads again from disk what this object keeps in memory (the snapshot, the last index, the synced hard state),
   * as a restarted process would: the member actor calls it when it restarts after a failure, which may have come
   * between a write and the fields that follow it.
   */
  public void reload() {
    byte[] s = db.get(SNAPSHOT);
    this.snapshot = s == null ? Snapshot.EMPTY : decodeSnapshot(s, db.get(SNAPSHOT_MARKER) != null);
    this.lastIndex = Math.max(snapshot.index(), lastStoredIndex());
    this.synced = hardState();
  }

  /** Opens or creates the log in {@code dir}; refuses an unreadable or corrupt directory with a {@link StoreException}. */
  public static LogStore open(Path dir) {
    return new LogStore(dir, LevelDb.open(dir, KIND));
  }

  /** True when {@link #open} found no log and created an empty one. */
  public boolean created() {
    return created;
  }

  /** Everything persisted, for the core to restart from; the state machine is assumed fresh (applied = snapshot index). */
  public PersistedState load() {
    return PersistedState.of(hardState(), snapshot, entries());
  }

  /** As {@link #load()}, for a state machine that already reflects {@code applied} (its own durable applied index). */
  public PersistedState load(long applied) {
    PersistedState p = load();
    return new PersistedState(p.hardState(), p.snapshot(), p.entries(), Math.max(applied, snapshot.index()));
  }

  public HardState hardState() {
    byte[] h = db.get(HARD_STATE);
    return h == null ? HardState.EMPTY : decodeHardState(h);
  }

  public Snapshot snapshot() {
    return snapshot;
  }

  public long firstIndex() {
    return snapshot.index() + 1;
  }

  public long lastIndex() {
    return lastIndex;
  }

  /**
   * Step 1 of a {@code Ready}, durably, in one batch (synced unless only the commit index moved). A snapshot keeps
   * the entries after it only when the log holds the snapshot's last entry
   * with the same term (Raft paper §7, InstallSnapshot rule 6; the driver's own
   * compaction); otherwise it replaces the whole log. New entries replace
   * persisted ones at the same or higher indexes (§5.3).
   */
  public void save(Snapshot snapshotOrNull, List<Entry> entries, HardState hardStateOrNull) {
    WriteBatch batch = db.createWriteBatch();
    Snapshot snap = snapshot;
    long last = lastIndex;
    if (snapshotOrNull != null && snapshotOrNull.index() > snap.index()) {
      last = putSnapshot(batch, snapshotOrNull, last);
      snap = snapshotOrNull;
    }
    if (!entries.isEmpty()) {
      last = putEntries(batch, entries, snap.index(), last);
    }
    if (hardStateOrNull != null) {
      batch.put(HARD_STATE, encodeHardState(hardStateOrNull));
    }
    if (mustSync(snapshotOrNull, entries, hardStateOrNull)) {
      LevelDb.writeSynced(db, batch, dir);
      syncs++;
      if (hardStateOrNull != null) {
        synced = hardStateOrNull;
      }
    } else {
      LevelDb.write(db, batch, dir);
    }
    snapshot = snap;
    lastIndex = last;
  }

  /** Entries, a snapshot, a new term or a vote must be durable before any message promises them (Fig. 2). */
  private boolean mustSync(Snapshot snapshotOrNull, List<Entry> entries, HardState hardStateOrNull) {
    return snapshotOrNull != null || !entries.isEmpty() || (hardStateOrNull != null
        && (hardStateOrNull.term() != synced.term() || !Objects.equals(hardStateOrNull.vote(), synced.vote())));
  }

  /** How many saves were synced since this store was opened (each one fsync). */
  public long syncs() {
    return syncs;
  }

  /** Log compaction by the driver's own snapshot (§7): drops the entries it covers, keeps the rest. */
  public void compact(Snapshot s) {
    save(s, List.of(), null);
  }

  private long putSnapshot(WriteBatch batch, Snapshot s, long last) {
    boolean keepSuffix = s.index() <= last && termAt(s.index()) == s.term();
    long dropTo = keepSuffix ? s.index() : last;
    for (long i = snapshot.index() + 1; i <= dropTo; i++) {
      batch.delete(entryKey(i));
    }
    batch.put(SNAPSHOT, encodeSnapshot(s));
    if (s.hasImage()) {
      batch.delete(SNAPSHOT_MARKER);
    } else {
      batch.put(SNAPSHOT_MARKER, new byte[0]);
    }
    return keepSuffix ? last : s.index();
  }

  private long putEntries(WriteBatch batch, List<Entry> entries, long snapIndex, long last) {
    long first = entries.get(0).index();
    if (first <= snapIndex || first > last + 1) {
      throw new IllegalArgumentException("entries from " + first + " do not follow the log (snapshot "
          + snapIndex + ", last " + last + ")");
    }
    long expected = first;
    for (Entry e : entries) {
      if (e.index() != expected++) {
        throw new IllegalArgumentException("entries must be contiguous, found " + e + " after " + (expected - 2));
      }
      batch.put(entryKey(e.index()), encodeEntry(e));
    }
    long newLast = expected - 1;
    for (long i = newLast + 1; i <= last; i++) {
      batch.delete(entryKey(i));
    }
    return newLast;
  }

  private long termAt(long index) {
    byte[] v = db.get(entryKey(index));
    return v == null ? -1 : Bytes.getLong(v, 0);
  }

  private List<Entry> entries() {
    List<Entry> out = new ArrayList<>();
    long expected = snapshot.index() + 1;
    try (DBIterator it = db.iterator()) {
      for (it.seek(entryKey(expected)); it.hasNext(); ) {
        Map.Entry<byte[], byte[]> kv = it.next();
        if (kv.getKey().length != 9 || kv.getKey()[0] != ENTRY) {
          break;
        }
        long index = Bytes.getLong(kv.getKey(), 1);
        if (index != expected++) {
          throw new StoreException("the log in " + dir.toAbsolutePath() + " has a gap before entry " + index
              + ": it is corrupt; restore it from a backup or move it away so the member catches up from its peers");
        }
        byte[] v = kv.getValue();
        out.add(new Entry(Bytes.getLong(v, 0), index, Arrays.copyOfRange(v, 8, v.length)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** A forward scan: the log is bounded by compaction, and it runs once, on open. */
  private long lastStoredIndex() {
    long last = 0;
    try (DBIterator it = db.iterator()) {
      for (it.seek(new byte[] {ENTRY}); it.hasNext(); ) {
        byte[] k = it.next().getKey();
        if (k.length != 9 || k[0] != ENTRY) {
          break;
        }
        last = Bytes.getLong(k, 1);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return last;
  }

  @Override
  public void close() {
    LevelDb.close(db);
  }

  static byte[] entryKey(long index) {
    return Bytes.withLong(ENTRY, index);
  }

  private static byte[] encodeEntry(Entry e) {
    byte[] out = new byte[8 + e.data().length];
    Bytes.putLong(out, 0, e.term());
    System.arraycopy(e.data(), 0, out, 8, e.data().length);
    return out;
  }

  /** Index, term, then the image (none for a marker). */
  private static byte[] encodeSnapshot(Snapshot s) {
    byte[] data = s.hasImage() ? s.data() : new byte[0];
    byte[] out = new byte[16 + data.length];
    Bytes.putLong(out, 0, s.index());
    Bytes.putLong(out, 8, s.term());
    System.arraycopy(data, 0, out, 16, data.length);
    return out;
  }

  private static Snapshot decodeSnapshot(byte[] v, boolean marker) {
    long index = Bytes.getLong(v, 0);
    long term = Bytes.getLong(v, 8);
    return marker ? Snapshot.marker(index, term) : new Snapshot(index, term, Arrays.copyOfRange(v, 16, v.length));
  }

  private static byte[] encodeHardState(HardState h) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(h.term());
      out.writeLong(h.commit());
      out.writeBoolean(h.vote() != null);
      out.writeUTF(h.vote() == null ? "" : h.vote());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static HardState decodeHardState(byte[] v) {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(v))) {
      long term = in.readLong();
      long commit = in.readLong();
      boolean voted = in.readBoolean();
      String vote = in.readUTF();
      return new HardState(term, voted ? vote : null, commit);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
