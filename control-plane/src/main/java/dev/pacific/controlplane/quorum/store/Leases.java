package dev.pacific.controlplane.quorum.store;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.WriteBatch;

/**
 * The lease table of the state machine, after etcd's lessor: each lease's TTL and the keys
 * attached to it. Only what the log decides lives here; deadlines do not, since time is the
 * leader's business (it proposes a revoke when a lease expires by its own clock, and a new leader
 * restarts every TTL, as etcd's {@code Promote} does). Stored as {@code L id → ttl} and
 * {@code A key → id}, each changed in the applying batch; kept in memory too.
 */
final class Leases {

  static final byte LEASE = 'L';
  static final byte ATTACHED = 'A';

  /** A lease as the log knows it: its id and TTL. */
  record Lease(long id, long ttlMillis) {
  }

  private final TreeMap<Long, Long> ttls = new TreeMap<>();
  private final TreeMap<byte[], Long> leaseOf = new TreeMap<>(Bytes::compare);
  private final Map<Long, TreeSet<byte[]>> keysOf = new HashMap<>();

  Leases(List<Lease> leases, Map<byte[], Long> attachments) {
    leases.forEach(l -> ttls.put(l.id(), l.ttlMillis()));
    attachments.forEach((key, id) -> {
      leaseOf.put(key, id);
      keysOf.computeIfAbsent(id, i -> new TreeSet<>(Bytes::compare)).add(key);
    });
  }

  boolean exists(long id) {
    return ttls.containsKey(id);
  }

  long ttl(long id) {
    return ttls.get(id);
  }

  int size() {
    return ttls.size();
  }

  List<Lease> all() {
    List<Lease> out = new ArrayList<>();
    ttls.forEach((id, ttl) -> out.add(new Lease(id, ttl)));
    return out;
  }

  /** etcd's LeaseGrant, refusing a TTL below {@code minTtlMillis} and an id in use. */
  KvResult grant(KvCommand.LeaseGrant g, long minTtlMillis, long revision, WriteBatch batch) {
    if (g.ttlMillis() < minTtlMillis) {
      return new KvResult.Rejected(KvResult.Reason.TTL_TOO_SHORT, "a lease TTL of " + g.ttlMillis()
          + " ms is below the minimum of " + minTtlMillis + " ms (a few election timeouts, so a failover cannot"
          + " expire it); ask for at least the minimum");
    }
    if (exists(g.id())) {
      return new KvResult.Rejected(KvResult.Reason.LEASE_EXISTS, "lease " + g.id() + " exists already; choose"
          + " another id");
    }
    ttls.put(g.id(), g.ttlMillis());
    batch.put(Bytes.withLong(LEASE, g.id()), longBytes(g.ttlMillis()));
    return new KvResult.LeaseResult(g.id(), g.ttlMillis(), revision);
  }

  /** Nothing changes in the table: the answer tells the leader to restart the TTL. */
  KvResult keepAlive(long id, long revision) {
    return exists(id) ? new KvResult.LeaseResult(id, ttl(id), revision) : notFound(id);
  }

  static KvResult notFound(long id) {
    return new KvResult.Rejected(KvResult.Reason.LEASE_NOT_FOUND, "lease " + id + " does not exist (never"
        + " granted, revoked or expired); grant a new one");
  }

  /** Attaches {@code key} to lease {@code id} (0 = to none), detaching it from any other first. */
  void attach(byte[] key, long id, WriteBatch batch) {
    Long old = leaseOf.get(key);
    if (old != null && old == id) {
      return;
    }
    detach(key, batch);
    if (id == KvCommand.NO_LEASE) {
      return;
    }
    leaseOf.put(key, id);
    keysOf.computeIfAbsent(id, i -> new TreeSet<>(Bytes::compare)).add(key);
    batch.put(Bytes.concat(ATTACHED, key), longBytes(id));
  }

  /** A deleted key leaves its lease. */
  void detach(byte[] key, WriteBatch batch) {
    Long old = leaseOf.remove(key);
    if (old == null) {
      return;
    }
    TreeSet<byte[]> keys = keysOf.get(old);
    keys.remove(key);
    if (keys.isEmpty()) {
      keysOf.remove(old);
    }
    batch.delete(Bytes.concat(ATTACHED, key));
  }

  /** The keys attached to lease {@code id}, in key order. */
  List<byte[]> keys(long id) {
    TreeSet<byte[]> keys = keysOf.get(id);
    return keys == null ? List.of() : List.copyOf(keys);
  }

  /** Forgets the lease; its keys must have been deleted (and so detached) first. */
  void remove(long id, WriteBatch batch) {
    ttls.remove(id);
    batch.delete(Bytes.withLong(LEASE, id));
  }

  /** The table in a canonical order: for snapshots and the state hash. */
  void write(DataOutput out) throws IOException {
    out.writeInt(ttls.size());
    for (Map.Entry<Long, Long> e : ttls.entrySet()) {
      out.writeLong(e.getKey());
      out.writeLong(e.getValue());
    }
    out.writeInt(leaseOf.size());
    for (Map.Entry<byte[], Long> e : leaseOf.entrySet()) {
      KvCodec.writeBytes(out, e.getKey());
      out.writeLong(e.getValue());
    }
  }

  static Leases read(DataInput in) throws IOException {
    int n = KvCodec.readCount(in);
    List<Lease> leases = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      leases.add(new Lease(in.readLong(), in.readLong()));
    }
    int m = KvCodec.readCount(in);
    Map<byte[], Long> attachments = new TreeMap<>(Bytes::compare);
    for (int i = 0; i < m; i++) {
      attachments.put(KvCodec.readBytes(in), in.readLong());
    }
    return new Leases(leases, attachments);
  }

  /** Writes the whole table into {@code batch}, for a restored snapshot. */
  void store(WriteBatch batch) {
    ttls.forEach((id, ttl) -> batch.put(Bytes.withLong(LEASE, id), longBytes(ttl)));
    leaseOf.forEach((key, id) -> batch.put(Bytes.concat(ATTACHED, key), longBytes(id)));
  }

  static Leases load(DB db) {
    List<Lease> leases = new ArrayList<>();
    Map<byte[], Long> attachments = new TreeMap<>(Bytes::compare);
    scan(db, ATTACHED, (k, v) -> attachments.put(java.util.Arrays.copyOfRange(k, 1, k.length), Bytes.getLong(v, 0)));
    scan(db, LEASE, (k, v) -> leases.add(new Lease(Bytes.getLong(k, 1), Bytes.getLong(v, 0))));
    return new Leases(leases, attachments);
  }

  private static void scan(DB db, byte prefix, java.util.function.BiConsumer<byte[], byte[]> each) {
    try (DBIterator it = db.iterator()) {
      for (it.seek(new byte[] {prefix}); it.hasNext(); ) {
        Map.Entry<byte[], byte[]> e = it.next();
        if (e.getKey()[0] != prefix) {
          return;
        }
        each.accept(e.getKey(), e.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] longBytes(long n) {
    byte[] b = new byte[8];
    Bytes.putLong(b, 0, n);
    return b;
  }
}
