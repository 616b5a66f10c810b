package dev.pacific.controlplane.quorum.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.WriteBatch;

/**
 * The client-session table of Ongaro's dissertation §6.3: per client, the
 * last sequence number applied and its answer, so a retry is answered without
 * applying twice. Everything here is decided by the log alone — time is the
 * leader's clock carried in the entries, order is the index of the entry that
 * last used a session — so every member expires and evicts the same sessions
 * at the same entry, before and after a restart.
 */
final class Sessions {

  static final byte SESSION = 'S';

  /** A client's session: {@code touchedIndex} orders sessions (least recently used first). */
  record Session(long clientId, long lastSeq, long touchedIndex, long touchedMillis, byte[] result) {
  }

  private final KvSettings settings;
  /** In touch order: re-inserted on every use, so the eldest is the least recently used. */
  private final LinkedHashMap<Long, Session> byTouch = new LinkedHashMap<>();

  Sessions(KvSettings settings, Collection<Session> sessions) {
    this.settings = settings;
    sessions.stream().sorted(Comparator.comparingLong(Session::touchedIndex))
        .forEach(s -> byTouch.put(s.clientId(), s));
  }

  Session get(long clientId) {
    return byTouch.get(clientId);
  }

  Collection<Session> all() {
    return List.copyOf(byTouch.values());
  }

  int size() {
    return byTouch.size();
  }

  /** Records a session's latest use; then evicts the least recently used beyond the cap. */
  void touch(Session s, WriteBatch batch) {
    byTouch.remove(s.clientId());
    byTouch.put(s.clientId(), s);
    batch.put(key(s.clientId()), encode(s));
    Iterator<Session> eldest = byTouch.values().iterator();
    while (byTouch.size() > settings.maxSessions()) {
      batch.delete(key(eldest.next().clientId()));
      eldest.remove();
    }
  }

  /** Forgets sessions unused for the TTL, measured in log time. Touch order is time order, so stop at the first live one. */
  void expire(long logTimeMillis, WriteBatch batch) {
    Iterator<Session> it = byTouch.values().iterator();
    while (it.hasNext()) {
      Session s = it.next();
      if (logTimeMillis - s.touchedMillis() < settings.sessionTtlMillis()) {
        return;
      }
      batch.delete(key(s.clientId()));
      it.remove();
    }
  }

  static List<Session> load(DB db) {
    List<Session> out = new ArrayList<>();
    try (DBIterator it = db.iterator()) {
      for (it.seek(new byte[] {SESSION}); it.hasNext(); ) {
        Map.Entry<byte[], byte[]> e = it.next();
        if (e.getKey()[0] != SESSION) {
          break;
        }
        out.add(decode(Bytes.getLong(e.getKey(), 1), e.getValue()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static byte[] key(long clientId) {
    return Bytes.withLong(SESSION, clientId);
  }

  static byte[] encode(Session s) {
    return KvCodec.bytes(out -> {
      out.writeLong(s.lastSeq());
      out.writeLong(s.touchedIndex());
      out.writeLong(s.touchedMillis());
      KvCodec.writeBytes(out, s.result());
    });
  }

  static Session decode(long clientId, byte[] v) {
    return KvCodec.read(v, in -> new Session(clientId, in.readLong(), in.readLong(), in.readLong(),
        KvCodec.readBytes(in)));
  }
}
