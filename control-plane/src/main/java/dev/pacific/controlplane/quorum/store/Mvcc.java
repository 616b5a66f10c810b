package dev.pacific.controlplane.quorum.store;

import dev.pacific.controlplane.quorum.store.KvCommand.Compare;
import dev.pacific.controlplane.quorum.store.KvCommand.Delete;
import dev.pacific.controlplane.quorum.store.KvCommand.Get;
import dev.pacific.controlplane.quorum.store.KvCommand.Put;
import dev.pacific.controlplane.quorum.store.KvCommand.Txn;
import dev.pacific.controlplane.quorum.store.KvCommand.TxnOp;
import dev.pacific.controlplane.quorum.store.KvResult.DeleteResult;
import dev.pacific.controlplane.quorum.store.KvResult.PutResult;
import dev.pacific.controlplane.quorum.store.KvResult.RangeResult;
import dev.pacific.controlplane.quorum.store.KvResult.Reason;
import dev.pacific.controlplane.quorum.store.KvResult.Rejected;
import dev.pacific.controlplane.quorum.store.KvResult.TxnResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.iq80.leveldb.WriteBatch;

/**
 * The live keys and the write path of the MVCC store, after etcd's mvcc
 * package: every command that changes something takes the next revision (one
 * per transaction, however many keys it touches), and each change is recorded
 * both as the key's new live record and as a history record by revision, so a
 * watch can replay them and a range can read an older revision.
 *
 * <p>The live keys are kept in memory as well as in LevelDB (as etcd keeps its
 * key index in memory), so a command sees the writes of earlier commands of
 * the same batch before the batch is written, and latest reads need no I/O.
 */
final class Mvcc {

  static final byte LIVE = 'K';
  private static final long UNSTAMPED = -1;

  private final TreeMap<byte[], KeyValue> live = new TreeMap<>(Bytes::compare);
  private final Leases leases;
  private final List<Change> recorded = new ArrayList<>();
  private long revision;
  private WriteBatch batch;
  /** Changes the running command recorded at revision + 1. */
  private int changes;

  Mvcc(long revision, Collection<KeyValue> liveKeys, Leases leases) {
    this.revision = revision;
    this.leases = leases;
    liveKeys.forEach(kv -> live.put(kv.key(), kv));
  }

  long revision() {
    return revision;
  }

  NavigableMap<byte[], KeyValue> live() {
    return Collections.unmodifiableNavigableMap(live);
  }

  /** Applies one key-value operation or transaction, adding its writes to {@code batch}. */
  KvResult execute(KvCommand command, WriteBatch batch) {
    this.batch = batch;
    changes = 0;
    try {
      if (command instanceof Txn t) {
        boolean ok = t.compares().stream().allMatch(this::holds);
        List<TxnOp> ops = ok ? t.success() : t.failure();
        Rejected refused = refused(ops);
        if (refused != null) {
          return refused;
        }
        List<KvResult> results = new ArrayList<>();
        for (TxnOp op : ops) {
          results.add(run(op));
        }
        finish();
        return new TxnResult(ok, revision, results.stream().map(r -> stamp(r, revision)).toList());
      }
      Rejected refused = refused(List.of((TxnOp) command));
      if (refused != null) {
        return refused;
      }
      KvResult r = run((TxnOp) command);
      finish();
      return stamp(r, revision);
    } finally {
      this.batch = null;
    }
  }

  /**
   * etcd checks every put's lease before applying any operation (ErrLeaseNotFound), so nothing is
   * half done. A read at a past revision belongs in a read-only query, where a compacted revision
   * can be answered without touching the log; in a write it is refused.
   */
  private Rejected refused(List<TxnOp> ops) {
    for (TxnOp op : ops) {
      if (op instanceof Get g && g.revision() != KvCommand.LATEST) {
        return new Rejected(Reason.MALFORMED, "a read at revision " + g.revision()
            + " is served by a read-only query, not inside a write transaction");
      }
      if (op instanceof Put p && p.lease() != KvCommand.NO_LEASE && !leases.exists(p.lease())) {
        return new Rejected(Reason.LEASE_NOT_FOUND, "lease " + p.lease() + " does not exist (never granted,"
            + " revoked or expired); grant a new lease and attach the key to it");
      }
    }
    return null;
  }

  /** Deletes every key attached to the lease at one revision, then forgets the lease (etcd's Revoke). */
  KvResult revoke(long id, WriteBatch batch) {
    this.batch = batch;
    changes = 0;
    List<byte[]> keys = leases.keys(id);
    for (byte[] key : keys) {
      delete(KeyRange.key(key));
    }
    finish();
    leases.remove(id, batch);
    this.batch = null;
    return new KvResult.LeaseRevoked(id, keys.size(), revision);
  }

  private void finish() {
    if (changes > 0) {
      revision++;
    }
  }

  private KvResult run(TxnOp op) {
    if (op instanceof Put p) {
      put(p.key(), p.value(), p.lease());
      return new PutResult(UNSTAMPED);
    } else if (op instanceof Delete d) {
      return new DeleteResult(UNSTAMPED, delete(d.range()));
    }
    Get g = (Get) op;
    return range(g.range(), g.limit(), UNSTAMPED);
  }

  /** Results carry the revision after the whole command, as etcd's response header does. */
  private static KvResult stamp(KvResult r, long revision) {
    if (r instanceof PutResult) {
      return new PutResult(revision);
    } else if (r instanceof DeleteResult d) {
      return new DeleteResult(revision, d.deleted());
    } else if (r instanceof RangeResult g) {
      return new RangeResult(g.kvs(), g.more(), g.count(), revision);
    }
    return r;
  }

  private void put(byte[] key, byte[] value, long lease) {
    long rev = revision + 1;
    KeyValue prev = live.get(key);
    KeyValue kv = prev == null
        ? new KeyValue(key, value, rev, rev, 1)
        : new KeyValue(key, value, prev.createRevision(), rev, prev.version() + 1);
    live.put(key, kv);
    leases.attach(key, lease, batch);
    batch.put(Bytes.concat(LIVE, key), KvCodec.bytes(out -> KvCodec.writeKeyValue(out, kv)));
    record(new Change(Change.Type.PUT, kv));
  }

  /** Deleting removes the live record; its history stays (etcd keeps a tombstone revision). */
  private long delete(KeyRange range) {
    List<KeyValue> deleted = new ArrayList<>(select(range));
    for (KeyValue last : deleted) {
      byte[] key = last.key();
      live.remove(key);
      leases.detach(key, batch);
      batch.delete(Bytes.concat(LIVE, key));
      record(Change.deletion(last, revision + 1));
    }
    return deleted.size();
  }

  private void record(Change change) {
    History.record(batch, revision + 1, changes++, change);
    recorded.add(change);
  }

  /** The changes recorded since the last call, in revision order: what the store publishes once durable. */
  List<Change> drainRecorded() {
    List<Change> out = List.copyOf(recorded);
    recorded.clear();
    return out;
  }

  RangeResult range(KeyRange range, long limit, long headerRevision) {
    Collection<KeyValue> selected = select(range);
    List<KeyValue> kvs = new ArrayList<>();
    for (KeyValue kv : selected) {
      if (limit > 0 && kvs.size() >= limit) {
        break;
      }
      kvs.add(kv);
    }
    return new RangeResult(kvs, kvs.size() < selected.size(), selected.size(), headerRevision);
  }

  private Collection<KeyValue> select(KeyRange r) {
    if (r.isSingleKey()) {
      KeyValue kv = live.get(r.from());
      return kv == null ? List.of() : List.of(kv);
    }
    if (r.to().length == 0) {
      return live.tailMap(r.from(), true).values();
    }
    if (Bytes.compare(r.from(), r.to()) >= 0) {
      return List.of();
    }
    return live.subMap(r.from(), true, r.to(), false).values();
  }

  /**
   * A compare on a missing key sees version and revisions 0; a VALUE compare
   * on a missing key fails, as etcd's applyCompare does (a missing value and an
   * empty one cannot be told apart).
   */
  boolean holds(Compare c) {
    KeyValue kv = live.get(c.key());
    if (kv == null && c.target() == KvCommand.Target.VALUE) {
      return false;
    }
    int cmp = switch (c.target()) {
      case VALUE -> Bytes.compare(kv.value(), c.value() == null ? new byte[0] : c.value());
      case VERSION -> Long.compare(kv == null ? 0 : kv.version(), c.number());
      case MOD_REVISION -> Long.compare(kv == null ? 0 : kv.modRevision(), c.number());
      case CREATE_REVISION -> Long.compare(kv == null ? 0 : kv.createRevision(), c.number());
    };
    return switch (c.op()) {
      case EQUAL -> cmp == 0;
      case NOT_EQUAL -> cmp != 0;
      case LESS -> cmp < 0;
      case GREATER -> cmp > 0;
    };
  }
}
