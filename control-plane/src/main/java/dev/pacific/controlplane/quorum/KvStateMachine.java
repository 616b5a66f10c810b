package dev.pacific.controlplane.quorum;

import dev.pacific.controlplane.quorum.raft.Entry;
import dev.pacific.controlplane.quorum.raft.Snapshot;
import dev.pacific.controlplane.quorum.store.Applied;
import dev.pacific.controlplane.quorum.store.KvCodec;
import dev.pacific.controlplane.quorum.store.KvCommand;
import dev.pacific.controlplane.quorum.store.KvResult;
import dev.pacific.controlplane.quorum.store.KvStore;
import dev.pacific.controlplane.quorum.store.Request;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The quorum's {@link StateMachine}: the MVCC key-value store. Commands are encoded
 * {@link Request}s; a query is a request whose command is a transaction of reads only, answered
 * from the applied state without going through the log (the member calls it once ReadIndex
 * made it linearizable).
 */
public final class KvStateMachine implements StateMachine {

  /** Puts the client's session into an encoded request made with {@link #command}. */
  public static final QuorumClient.SessionCodec SESSIONS = (clientId, seq, command) -> {
    Request r = KvCodec.decodeRequest(command);
    return KvCodec.encode(new Request(sessionId(clientId), seq, 0, r.command()));
  };

  private final KvStore kv;
  private final LeaseKeeper leases;
  private final AutoCompactor compactor;

  public KvStateMachine(KvStore kv) {
    this(kv, Housekeeping.DEFAULT, MonotonicClock.SYSTEM);
  }

  /** @param clock the leader's monotonic clock for lease deadlines and compaction ages */
  public KvStateMachine(KvStore kv, Housekeeping housekeeping, MonotonicClock clock) {
    this.kv = kv;
    this.leases = new LeaseKeeper(clock, housekeeping.retry().toNanos());
    this.compactor = new AutoCompactor(housekeeping, clock);
    leases.restartAll(kv.leases());
  }

  /** A command for {@link QuorumClient#propose}, before its session is added. */
  public static byte[] command(KvCommand command) {
    return KvCodec.encode(new Request(Request.NO_SESSION, 0, 0, command));
  }

  /** A read for {@link QuorumClient#read}: every operation must be a {@link KvCommand.Get}. */
  public static byte[] query(List<KvCommand.TxnOp> gets) {
    return command(new KvCommand.Txn(List.of(), gets, List.of()));
  }

  @Override
  public long appliedIndex() {
    return kv.appliedIndex();
  }

  /** The store reads its state again; lease deadlines start again from it, as on a new leadership. */
  @Override
  public void reload() {
    kv.reload();
    leases.restartAll(kv.leases());
  }

  @Override
  public List<byte[]> applyBatch(List<Entry> entries) {
    Map<Long, KvResult> byIndex = new HashMap<>();
    for (Applied a : kv.applyBatch(entries)) {
      byIndex.put(a.index(), a.result());
      leases.applied(a.result());
    }
    List<byte[]> results = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      KvResult r = byIndex.get(e.index());
      results.add(r == null ? new byte[0] : KvCodec.encode(r));
    }
    return results;
  }

  @Override
  public byte[] query(byte[] query) {
    KvCommand command = KvCodec.decodeRequest(query).command();
    if (!(command instanceof KvCommand.Txn txn) || !txn.compares().isEmpty() || !txn.failure().isEmpty()) {
      throw new IllegalArgumentException("a query is a transaction of reads only");
    }
    List<KvResult> results = new ArrayList<>();
    for (KvCommand.TxnOp op : txn.success()) {
      if (!(op instanceof KvCommand.Get get)) {
        throw new IllegalArgumentException("a query may only read, not " + op.getClass().getSimpleName());
      }
      KvResult refused = refusedRevision(get.revision());
      if (refused != null) {
        return KvCodec.encode(refused);
      }
      results.add(kv.range(get.range(), get.revision(), get.limit()));
    }
    return KvCodec.encode(new KvResult.TxnResult(true, kv.revision(), results));
  }

  /**
   * A lease keep-alive, on the leader once its leadership is confirmed: the lease's deadline starts again on this
   * member's clock, and nothing goes through the log. Anything else is refused as malformed.
   */
  @Override
  public byte[] renew(byte[] request) {
    KvCommand command = KvCodec.decodeRequest(request).command();
    if (!(command instanceof KvCommand.LeaseKeepAlive keepAlive)) {
      return KvCodec.encode(new KvResult.Rejected(KvResult.Reason.MALFORMED, "only a lease keep-alive is renewed"
          + " on the leader, not " + command.getClass().getSimpleName()));
    }
    if (leases.expiredAlready(keepAlive.id())) {
      return KvCodec.encode(new KvResult.Rejected(KvResult.Reason.LEASE_NOT_FOUND, "lease " + keepAlive.id()
          + " expired; its revoke is under way; grant a new one"));
    }
    KvResult result = kv.keepAlive(keepAlive.id());
    leases.applied(result);
    return KvCodec.encode(result);
  }

  /**
   * A read at a revision the store no longer has or does not have yet is the reader's to handle
   * (Kubernetes answers a list continued past compaction with 410 Expired); it must never throw on
   * the member's thread.
   */
  private KvResult refusedRevision(long revision) {
    if (revision == KvCommand.LATEST) {
      return null;
    }
    if (revision > kv.revision()) {
      return new KvResult.Rejected(KvResult.Reason.FUTURE_REVISION, "revision " + revision
          + " is beyond the current revision " + kv.revision());
    }
    if (revision < kv.compactedRevision()) {
      return new KvResult.Rejected(KvResult.Reason.COMPACTED, "revision " + revision
          + " has been compacted; the oldest revision still readable is " + kv.compactedRevision());
    }
    return null;
  }

  /** The store is LevelDB: what is applied and synced survives a restart. */
  @Override
  public boolean durable() {
    return true;
  }

  @Override
  public void sync() {
    kv.sync();
  }

  @Override
  public byte[] snapshot() {
    return kv.snapshot();
  }

  @Override
  public void restore(Snapshot snapshot) {
    kv.restore(snapshot.data());
    leases.restartAll(kv.leases());
  }

  @Override
  public List<byte[]> leaderProposals(boolean newLeader) {
    if (newLeader) {
      leases.restartAll(kv.leases());
      compactor.reset();
    }
    List<byte[]> out = new ArrayList<>();
    for (long id : leases.expired()) {
      out.add(command(new KvCommand.LeaseRevoke(id)));
    }
    compactor.due(kv.revision(), kv.compactedRevision())
        .ifPresent(rev -> out.add(command(new KvCommand.Compact(rev))));
    return out;
  }

  @Override
  public String stateHash() {
    return kv.stateHash();
  }

  @Override
  public byte[] stamp(byte[] command, long leaderTimeMillis) {
    return KvCodec.withLeaderTime(command, leaderTimeMillis);
  }

  /** The store keys sessions by a number; clients name them by a UUID string. */
  static long sessionId(String clientId) {
    UUID uuid;
    try {
      uuid = UUID.fromString(clientId);
    } catch (IllegalArgumentException notAUuid) {
      uuid = UUID.nameUUIDFromBytes(clientId.getBytes(StandardCharsets.UTF_8));
    }
    long id = uuid.getMostSignificantBits() ^ uuid.getLeastSignificantBits();
    return id == Request.NO_SESSION ? 1 : id;
  }
}
