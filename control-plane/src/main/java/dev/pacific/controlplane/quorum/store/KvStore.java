package dev.pacific.controlplane.quorum.store;

import dev.pacific.controlplane.quorum.raft.Entry;
import dev.pacific.controlplane.quorum.store.KvResult.RangeResult;
import dev.pacific.controlplane.quorum.store.KvResult.Reason;
import dev.pacific.controlplane.quorum.store.KvResult.Rejected;
import dev.pacific.controlplane.quorum.store.Sessions.Session;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.WriteBatch;

/**
 * The replicated key-value state machine (etcd v3's MVCC store) in LevelDB.
 * Writes come only from committed log entries through {@link #applyBatch};
 * each call is one WriteBatch (not synced: the Raft log is the durable record) holding the MVCC changes, the applied
 * index and the session table together, so a restart never re-applies an
 * entry nor forgets a session's answer (ARCHITECTURE.md, "Engineering notes").
 *
 * <p>Not thread-safe: the member actor owns it and reads from it between
 * batches. A failed write leaves memory ahead of disk; the member must stop
 * (it will replay from the log on restart).
 */
public final class KvStore implements AutoCloseable {

  static final String KIND = "pacific key-value state";
  private static final byte[] APPLIED = meta("applied");
  private static final byte[] REVISION = meta("revision");
  private static final byte[] LOG_TIME = meta("logtime");
  private static final byte[] COMPACTED = meta("compacted");

  private final Path dir;
  private final DB db;
  private final boolean created;
  private final KvSettings settings;
  private long applied;
  /** The latest leader time seen in the log: the only clock sessions expire by. */
  private long logTime;
  private Mvcc mvcc;
  private Sessions sessions;
  private Leases leases;
  /**
   * History at and below it is gone. Volatile, and raised before the compacting write, so that a
   * watcher reading history on another thread can tell whether its read may have missed records.
   */
  private volatile long compacted;
  private ChangeListener listener = ChangeListener.NONE;

  private KvStore(Path dir, LevelDb.Opened opened, KvSettings settings) {
    this.dir = dir;
    this.db = opened.db();
    this.created = opened.created();
    this.settings = settings;
    load();
  }

  private void load() {
    this.applied = readLong(APPLIED);
    this.logTime = readLong(LOG_TIME);
    this.compacted = readLong(COMPACTED);
    this.leases = Leases.load(db);
    this.mvcc = new Mvcc(readLong(REVISION), loadLive(), leases);
    this.sessions = new Sessions(settings, Sessions.load(db));
  }

  /**
   * Reads the applied state again from disk, as a restarted process would, dropping whatever memory holds beyond
   * the last written batch (a failure can come between an apply's changes in memory and its write). Watchers are
   * told as for a restore: what they were sent may not match what the store now holds, so they replay from it.
   */
  public void reload() {
    load();
    listener.restored(mvcc.revision());
  }

  /** Opens or creates the store in {@code dir}; refuses an unreadable or corrupt directory with a {@link StoreException}. */
  public static KvStore open(Path dir, KvSettings settings) {
    return new KvStore(dir, LevelDb.open(dir, KIND), settings);
  }

  public boolean created() {
    return created;
  }

  /**
   * Makes every batch applied so far durable (one fsync): applies are not synced, so the Raft log may drop the entries
   * they came from only after this.
   */
  public void sync() {
    WriteBatch batch = db.createWriteBatch();
    batch.put(APPLIED, longBytes(applied));
    LevelDb.writeSynced(db, batch, dir);
  }

  /** The index of the last entry reflected here; entries up to it are skipped if applied again. */
  public long appliedIndex() {
    return applied;
  }

  /** The store's revision: the number of writing commands applied so far (etcd's header revision). */
  public long revision() {
    return mvcc.revision();
  }

  /** The answer to a keep-alive of lease {@code id}, which changes nothing here: the lease's TTL, or LEASE_NOT_FOUND. */
  public KvResult keepAlive(long id) {
    return leases.keepAlive(id, mvcc.revision());
  }

  public int sessionCount() {
    return sessions.size();
  }

  /** History at and below this revision is compacted; a watch may start from it or later. */
  public long compactedRevision() {
    return compacted;
  }

  /** The leases the log has granted and not revoked, with their TTLs. */
  public java.util.Map<Long, Long> leases() {
    java.util.Map<Long, Long> out = new java.util.TreeMap<>();
    leases.all().forEach(l -> out.put(l.id(), l.ttlMillis()));
    return out;
  }

  /** The keys attached to a lease, in key order. */
  public List<byte[]> leaseKeys(long id) {
    return leases.keys(id);
  }

  /** Told of every applied change once durable, and of every restore (one listener: the member's watch hub). */
  public void setListener(ChangeListener listener) {
    this.listener = listener;
  }

  /**
   * Applies committed entries in log order, in one atomic write, and returns
   * the answer for each non-empty one. Entries at or below the applied index
   * are skipped (a replay after restart); empty entries (a new leader's no-op,
   * Raft §8) only advance the applied index.
   */
  public List<Applied> applyBatch(List<Entry> entries) {
    WriteBatch batch = db.createWriteBatch();
    List<Applied> answers = new ArrayList<>();
    long index = applied;
    for (Entry e : entries) {
      if (e.index() <= index) {
        continue;
      }
      if (e.index() != index + 1) {
        throw new IllegalArgumentException("entry " + e.index() + " does not follow applied index " + index);
      }
      index = e.index();
      if (e.data().length > 0) {
        answers.add(applyOne(index, e.data(), batch));
      }
    }
    if (index == applied) {
      LevelDb.close(batch);
      return answers; // nothing new: no fsync
    }
    batch.put(APPLIED, longBytes(index));
    batch.put(REVISION, longBytes(mvcc.revision()));
    batch.put(LOG_TIME, longBytes(logTime));
    batch.put(COMPACTED, longBytes(compacted));
    // Not synced: every entry applied here is already durable in the Raft log (or in its snapshot),
    // and the applied index, revision and sessions ride in this same atomic batch. A power loss can
    // only roll the store back to an earlier batch, and the member re-applies the log from there
    // (or restores the log's snapshot first), so nothing is lost or applied twice. It takes one
    // fsync off the path of every write.
    LevelDb.write(db, batch, dir);
    applied = index;
    List<Change> changes = mvcc.drainRecorded();
    if (!changes.isEmpty()) {
      listener.applied(changes);
    }
    return answers;
  }

  /** One entry's worth of {@link #applyBatch}: its answer, or empty for an empty or already applied entry. */
  public Optional<KvResult> apply(long index, byte[] command) {
    List<Applied> answers = applyBatch(List.of(new Entry(1, index, command)));
    return answers.isEmpty() ? Optional.empty() : Optional.of(answers.get(0).result());
  }

  private Applied applyOne(long index, byte[] data, WriteBatch batch) {
    Request r;
    try {
      r = KvCodec.decodeRequest(data);
    } catch (IllegalArgumentException e) {
      return new Applied(index, 0, 0, new Rejected(Reason.MALFORMED,
          "entry " + index + " is not a key-value request: " + e.getMessage()));
    }
    logTime = Math.max(logTime, r.leaderTimeMillis());
    sessions.expire(logTime, batch);
    return new Applied(index, r.clientId(), r.seq(), inSession(index, r, batch));
  }

  /** Exactly once (dissertation §6.3): the last answer per client is kept and returned for a retry. */
  private KvResult inSession(long index, Request r, WriteBatch batch) {
    if (r.clientId() == Request.NO_SESSION) {
      return execute(r.command(), batch);
    }
    Session s = sessions.get(r.clientId());
    if (s == null && r.seq() != 1) {
      return new Rejected(Reason.SESSION_EXPIRED, "client " + r.clientId() + " has no session (expired or never"
          + " opened); open a new one with a fresh client id and sequence 1");
    }
    if (s != null && r.seq() < s.lastSeq()) {
      return new Rejected(Reason.STALE_SEQUENCE, "request " + r.seq() + " of client " + r.clientId()
          + " is older than its last applied request " + s.lastSeq() + "; its answer was already given");
    }
    if (s != null && r.seq() == s.lastSeq()) {
      sessions.touch(new Session(r.clientId(), r.seq(), index, logTime, s.result()), batch);
      return KvCodec.decodeResult(s.result());
    }
    KvResult result = execute(r.command(), batch);
    sessions.touch(new Session(r.clientId(), r.seq(), index, logTime, KvCodec.encode(result)), batch);
    return result;
  }

  private KvResult execute(KvCommand command, WriteBatch batch) {
    if (command instanceof KvCommand.Compact c) {
      return compact(c.revision(), batch);
    } else if (command instanceof KvCommand.LeaseGrant g) {
      return leases.grant(g, settings.minLeaseTtlMillis(), mvcc.revision(), batch);
    } else if (command instanceof KvCommand.LeaseKeepAlive k) {
      return leases.keepAlive(k.id(), mvcc.revision());
    } else if (command instanceof KvCommand.LeaseRevoke r) {
      return leases.exists(r.id()) ? mvcc.revoke(r.id(), batch) : Leases.notFound(r.id());
    }
    return mvcc.execute(command, batch);
  }

  /** etcd refuses a compaction at or below the compacted revision and one beyond the current revision. */
  private KvResult compact(long revision, WriteBatch batch) {
    if (revision <= compacted) {
      return new Rejected(Reason.COMPACTED, "revision " + revision + " is already compacted (compacted up to "
          + compacted + ")");
    }
    if (revision > mvcc.revision()) {
      return new Rejected(Reason.FUTURE_REVISION, "cannot compact at revision " + revision
          + ", beyond the current revision " + mvcc.revision());
    }
    long from = compacted;
    compacted = revision;
    History.compact(db, from, revision, batch);
    return new KvResult.CompactResult(revision, mvcc.revision());
  }

  public Optional<KeyValue> get(byte[] key) {
    return Optional.ofNullable(mvcc.live().get(key));
  }

  /**
   * The keys of {@code range} at {@code revision} (0 = latest), at most
   * {@code limit} of them (0 = all); {@code count} counts every key in the
   * range, as etcd's RangeResponse does.
   */
  public RangeResult range(KeyRange range, long revision, long limit) {
    long current = mvcc.revision();
    if (revision > current) {
      throw new IllegalArgumentException("revision " + revision + " is in the future (current " + current + ")");
    }
    if (revision <= 0 || revision == current) {
      return mvcc.range(range, limit, current);
    }
    if (revision < compacted) {
      throw new Compacted(revision, compacted);
    }
    return History.rangeAt(db, range, revision, limit, current);
  }

  /**
   * Every change after {@code revision}, oldest first, up to {@code max} and then to the end of
   * that revision (never half a revision): what a watch from that revision replays. Safe on any
   * thread (LevelDB iterators read a consistent snapshot).
   *
   * @throws Compacted if changes after {@code revision} were compacted away, before or during the read
   */
  public List<Change> changesAfter(long revision, int max) {
    checkNotCompacted(revision);
    List<Change> changes = History.changesAfter(db, revision, max);
    checkNotCompacted(revision); // a compaction that raced the read may have removed some of it
    return changes;
  }

  private void checkNotCompacted(long revision) {
    long c = compacted;
    if (revision < c) {
      throw new Compacted(revision, c);
    }
  }

  /**
   * SHA-256 of the live keys (key, value, create and mod revision, version,
   * in key order), the revision counter, the compacted revision and the lease table: equal on every member at the same
   * applied index, for {@code /admin/v1/quorum}.
   */
  public String stateHash() {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    try (DataOutputStream out = new DataOutputStream(new DigestOutputStream(OutputStream.nullOutputStream(), sha))) {
      out.writeLong(mvcc.revision());
      for (KeyValue kv : mvcc.live().values()) {
        KvCodec.writeKeyValue(out, kv);
      }
      out.writeLong(compacted);
      leases.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** The whole state as of {@link #appliedIndex()}, for a Raft snapshot. */
  public byte[] snapshot() {
    return KvImage.encode(applied, mvcc.revision(), logTime, compacted, mvcc.live().values(), db, sessions.all(),
        leases);
  }

  /** Replaces the whole state by a snapshot's, in one synced write (a crash keeps the old state or the new). */
  public void restore(byte[] image) {
    KvImage.Image img = KvImage.decode(image);
    WriteBatch batch = db.createWriteBatch();
    deleteEverything(batch);
    batch.put(APPLIED, longBytes(img.applied()));
    batch.put(REVISION, longBytes(img.revision()));
    batch.put(LOG_TIME, longBytes(img.logTimeMillis()));
    batch.put(COMPACTED, longBytes(img.compacted()));
    img.leases().store(batch);
    for (KeyValue kv : img.live()) {
      batch.put(Bytes.concat(Mvcc.LIVE, kv.key()), KvCodec.bytes(out -> KvCodec.writeKeyValue(out, kv)));
    }
    for (KvImage.StoredChange c : img.history()) {
      History.record(batch, c.revision(), c.sub(), c.change());
    }
    for (Session s : img.sessions()) {
      batch.put(Sessions.key(s.clientId()), Sessions.encode(s));
    }
    compacted = Math.max(compacted, img.compacted()); // raised before the write, as in compact()
    LevelDb.writeSynced(db, batch, dir);
    applied = img.applied();
    logTime = img.logTimeMillis();
    compacted = img.compacted();
    leases = img.leases();
    mvcc = new Mvcc(img.revision(), img.live(), leases);
    sessions = new Sessions(settings, img.sessions());
    listener.restored(mvcc.revision());
  }

  private void deleteEverything(WriteBatch batch) {
    try (DBIterator it = db.iterator()) {
      for (it.seek(new byte[] {1}); it.hasNext(); ) {
        batch.delete(it.next().getKey());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<KeyValue> loadLive() {
    List<KeyValue> out = new ArrayList<>();
    try (DBIterator it = db.iterator()) {
      for (it.seek(new byte[] {Mvcc.LIVE}); it.hasNext(); ) {
        Map.Entry<byte[], byte[]> e = it.next();
        if (e.getKey()[0] != Mvcc.LIVE) {
          break;
        }
        out.add(KvCodec.read(e.getValue(), KvCodec::readKeyValue));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  @Override
  public void close() {
    LevelDb.close(db);
  }

  private long readLong(byte[] key) {
    byte[] v = db.get(key);
    return v == null ? 0 : Bytes.getLong(v, 0);
  }

  private static byte[] longBytes(long n) {
    byte[] b = new byte[8];
    Bytes.putLong(b, 0, n);
    return b;
  }

  private static byte[] meta(String name) {
    return Bytes.concat((byte) 'M', name.getBytes(StandardCharsets.UTF_8));
  }
}
