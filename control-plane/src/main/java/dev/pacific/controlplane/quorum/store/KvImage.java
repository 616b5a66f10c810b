package dev.pacific.controlplane.quorum.store;

import dev.pacific.controlplane.quorum.store.Sessions.Session;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;

/**
 * The whole key-value state machine as bytes: what the member hands to the
 * Raft core for log compaction and InstallSnapshot (§7). It holds the live
 * keys, the kept history (so a watch on a member restored from a snapshot can
 * still replay it), the session table (or a retry after the snapshot could
 * apply twice), the lease table, the compacted revision and the counters. The key index of the
 * history is rebuilt on restore rather than shipped. Format 2 added the compacted revision and the
 * leases; a format-1 image still reads (nothing compacted, no leases).
 */
final class KvImage {

  private static final int MAGIC_V1 = 0x504b5631; // "PKV1"
  private static final int MAGIC = 0x504b5632; // "PKV2"

  record StoredChange(long revision, int sub, Change change) {
  }

  record Image(long applied, long revision, long logTimeMillis, long compacted, List<KeyValue> live,
               List<StoredChange> history, List<Session> sessions, Leases leases) {
  }

  private KvImage() {
  }

  static byte[] encode(long applied, long revision, long logTime, long compacted, Collection<KeyValue> live, DB db,
                       Collection<Session> sessions, Leases leases) {
    return KvCodec.bytes(out -> {
      out.writeInt(MAGIC);
      out.writeLong(applied);
      out.writeLong(revision);
      out.writeLong(logTime);
      out.writeLong(compacted);
      leases.write(out);
      out.writeInt(live.size());
      for (KeyValue kv : live) {
        KvCodec.writeKeyValue(out, kv);
      }
      writeHistory(out, db);
      out.writeInt(sessions.size());
      for (Session s : sessions) {
        out.writeLong(s.clientId());
        KvCodec.writeBytes(out, Sessions.encode(s));
      }
    });
  }

  /** History records, each prefixed by {@code true}; {@code false} ends them (their count is not known up front). */
  private static void writeHistory(DataOutput out, DB db) throws IOException {
    try (DBIterator it = db.iterator()) {
      for (it.seek(new byte[] {History.CHANGE}); it.hasNext(); ) {
        Map.Entry<byte[], byte[]> e = it.next();
        byte[] k = e.getKey();
        if (k[0] != History.CHANGE) {
          break;
        }
        out.writeBoolean(true);
        out.writeLong(Bytes.getLong(k, 1));
        out.writeInt(Bytes.getInt(k, 9));
        KvCodec.writeBytes(out, e.getValue());
      }
    }
    out.writeBoolean(false);
  }

  static Image decode(byte[] data) {
    return KvCodec.read(data, KvImage::read);
  }

  private static Image read(DataInput in) throws IOException {
    int magic = in.readInt();
    if (magic != MAGIC && magic != MAGIC_V1) {
      throw new IllegalArgumentException("not a key-value snapshot (bad magic)");
    }
    long applied = in.readLong();
    long revision = in.readLong();
    long logTime = in.readLong();
    long compacted = magic == MAGIC ? in.readLong() : 0;
    Leases leases = magic == MAGIC ? Leases.read(in) : new Leases(List.of(), java.util.Map.of());
    int n = KvCodec.readCount(in);
    List<KeyValue> live = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      live.add(KvCodec.readKeyValue(in));
    }
    List<StoredChange> history = new ArrayList<>();
    while (in.readBoolean()) {
      long rev = in.readLong();
      int sub = in.readInt();
      history.add(new StoredChange(rev, sub, KvCodec.read(KvCodec.readBytes(in), KvCodec::readChange)));
    }
    int m = KvCodec.readCount(in);
    List<Session> sessions = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      long clientId = in.readLong();
      sessions.add(Sessions.decode(clientId, KvCodec.readBytes(in)));
    }
    return new Image(applied, revision, logTime, compacted, live, history, sessions, leases);
  }
}
