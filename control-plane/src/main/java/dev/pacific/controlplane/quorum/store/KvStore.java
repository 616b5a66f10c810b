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
 * each call is one synced WriteBatch holding the MVCC changes, the applied
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

  private final Path dir;
  private final DB db;
  private final boolean created;
  private final KvSettings settings;
  private long applied;
  /** The latest leader time seen in the log: the only clock sessions expire by. */
  private long logTime;
  private Mvcc mvcc;
  private Sessions sessions;

  private KvStore(Path dir, LevelDb.Opened opened, KvSettings settings) {
    this.dir = dir;
    this.db = opened.db();
    this.created = opened.created();
    this.settings = settings;
    this.applied = readLong(APPLIED);
    this.logTime = readLong(LOG_TIME);
    this.mvcc = new Mvcc(readLong(REVISION), loadLive());
    this.sessions = new Sessions(settings, Sessions.load(db));
  }

  /** Opens or creates the store in {@code dir}; refuses an unreadable or corrupt directory with a {@link StoreException}. */
  public static KvStore open(Path dir, KvSettings settings) {
    return new KvStore(dir, LevelDb.open(dir, KIND), settings);
  }

  public boolean created() {
    return created;
  }

  /** The index of the last entry reflected here; entries up to it are skipped if applied again. */
  public long appliedIndex() {
    return applied;
  }

  /** The store's revision: the number of writing commands applied so far (etcd's header revision). */
  public long revision() {
    return mvcc.revision();
  }

  public int sessionCount() {
    return sessions.size();
  }

  /**
   * Applies committed entries in log order, in one synced write, and returns
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
    LevelDb.writeSynced(db, batch, dir);
    applied = index;
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
      return mvcc.execute(r.command(), batch);
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
    KvResult result = mvcc.execute(r.command(), batch);
    sessions.touch(new Session(r.clientId(), r.seq(), index, logTime, KvCodec.encode(result)), batch);
    return result;
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
    return History.rangeAt(db, range, revision, limit, current);
  }

  /** Every change after {@code revision}, oldest first, up to {@code max}: what a watch from that revision replays. */
  public List<Change> changesAfter(long revision, int max) {
    return History.changesAfter(db, revision, max);
  }

  /**
   * SHA-256 of the live keys (key, value, create and mod revision, version,
   * in key order) and the revision counter: equal on every member at the same
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
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** The whole state as of {@link #appliedIndex()}, for a Raft snapshot. */
  public byte[] snapshot() {
    return KvImage.encode(applied, mvcc.revision(), logTime, mvcc.live().values(), db, sessions.all());
  }

  /** Replaces the whole state by a snapshot's, in one synced write (a crash keeps the old state or the new). */
  public void restore(byte[] image) {
    KvImage.Image img = KvImage.decode(image);
    WriteBatch batch = db.createWriteBatch();
    deleteEverything(batch);
    batch.put(APPLIED, longBytes(img.applied()));
    batch.put(REVISION, longBytes(img.revision()));
    batch.put(LOG_TIME, longBytes(img.logTimeMillis()));
    for (KeyValue kv : img.live()) {
      batch.put(Bytes.concat(Mvcc.LIVE, kv.key()), KvCodec.bytes(out -> KvCodec.writeKeyValue(out, kv)));
    }
    for (KvImage.StoredChange c : img.history()) {
      History.record(batch, c.revision(), c.sub(), c.change());
    }
    for (Session s : img.sessions()) {
      batch.put(Sessions.key(s.clientId()), Sessions.encode(s));
    }
    LevelDb.writeSynced(db, batch, dir);
    applied = img.applied();
    logTime = img.logTimeMillis();
    mvcc = new Mvcc(img.revision(), img.live());
    sessions = new Sessions(settings, img.sessions());
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
