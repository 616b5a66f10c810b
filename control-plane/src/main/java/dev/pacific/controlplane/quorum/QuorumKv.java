package dev.pacific.controlplane.quorum;

import dev.pacific.controlplane.quorum.store.KeyRange;
import dev.pacific.controlplane.quorum.store.KeyValue;
import dev.pacific.controlplane.quorum.store.KvCodec;
import dev.pacific.controlplane.quorum.store.KvCommand;
import dev.pacific.controlplane.quorum.store.KvCommand.Compare;
import dev.pacific.controlplane.quorum.store.KvResult;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;

/**
 * Key-value operations on the quorum, as the admin API and (later) the registry use them:
 * linearizable get, put and delete, each optionally conditional on the key's mod revision
 * (etcd's compare-and-swap; {@code 0} means "must not exist"); leases (etcd's grant, keep-alive,
 * revoke, and puts attached to a lease) and compaction. A request the quorum refuses for a reason
 * the caller can fix (an unknown lease, a TTL below the minimum, a compacted revision) fails with
 * {@link Refused}.
 */
public final class QuorumKv {

  /** How a conditional or plain write ended. */
  public sealed interface Outcome {
    /** Applied at this revision. */
    record Written(long revision) implements Outcome {}

    /** The compare failed: the key's mod revision is this (0 when it does not exist). */
    record Conflict(long modRevision) implements Outcome {}

    /** A delete found no such key. */
    record Missing() implements Outcome {}
  }

  /** The quorum refused the request; {@link #reason()} says why, the message what to do. */
  public static final class Refused extends RuntimeException {
    private final KvResult.Reason reason;

    public Refused(KvResult.Rejected rejected) {
      super(rejected.message());
      this.reason = rejected.reason();
    }

    public KvResult.Reason reason() {
      return reason;
    }
  }

  /** A lease as granted or kept alive. */
  public record Lease(long id, long ttlMillis) {}

  private final QuorumClient client;

  public QuorumKv(QuorumClient client) {
    this.client = client;
  }

  public CompletionStage<Optional<KeyValue>> get(byte[] key) {
    return client.read(KvStateMachine.query(List.of(new KvCommand.Get(KeyRange.key(key), 1))))
        .thenApply(r -> first(((KvResult.TxnResult) decode(r.value())).results().get(0)));
  }

  /** A linearizable read of every key in {@code range}, with the revision it reflects (to watch from). */
  public CompletionStage<KvResult.RangeResult> range(KeyRange range) {
    return range(range, KvCommand.LATEST, 0);
  }

  /**
   * A linearizable read of at most {@code limit} keys of {@code range} (0 = all) as they were at
   * {@code revision} (0 = the latest), with the revision it reflects: the one asked for, or the
   * latest. A compacted or future revision is {@link Refused} (COMPACTED, FUTURE_REVISION).
   */
  public CompletionStage<KvResult.RangeResult> range(KeyRange range, long revision, long limit) {
    return client.read(KvStateMachine.query(List.of(new KvCommand.Get(range, limit, revision))))
        .thenApply(r -> {
          KvResult.TxnResult t = (KvResult.TxnResult) decode(r.value());
          KvResult.RangeResult g = (KvResult.RangeResult) t.results().get(0);
          long at = revision == KvCommand.LATEST ? t.revision() : revision;
          return new KvResult.RangeResult(g.kvs(), g.more(), g.count(), at);
        });
  }

  public CompletionStage<Outcome> put(byte[] key, byte[] value, OptionalLong prevRevision) {
    return put(key, value, prevRevision, KvCommand.NO_LEASE);
  }

  /** A put attached to {@code lease} (0 = none): the key goes when the lease is revoked or expires. */
  public CompletionStage<Outcome> put(byte[] key, byte[] value, OptionalLong prevRevision, long lease) {
    KvCommand.Put put = new KvCommand.Put(key, value, lease);
    if (prevRevision.isEmpty()) {
      return propose(put).thenApply(r -> new Outcome.Written(((KvResult.PutResult) r).revision()));
    }
    return conditional(key, prevRevision.getAsLong(), put).thenApply(t -> t.succeeded()
        ? new Outcome.Written(t.revision()) : conflict(t));
  }

  public CompletionStage<Outcome> delete(byte[] key, OptionalLong prevRevision) {
    KvCommand.Delete delete = new KvCommand.Delete(KeyRange.key(key));
    if (prevRevision.isEmpty()) {
      return propose(delete).thenApply(r -> deleted((KvResult.DeleteResult) r));
    }
    return conditional(key, prevRevision.getAsLong(), delete).thenApply(t -> t.succeeded()
        ? deleted((KvResult.DeleteResult) t.results().get(0)) : conflict(t));
  }

  /**
   * A put only if the key's version (etcd's count of changes since creation, reset by a delete) is
   * {@code version}; {@code 0} means "must not exist". The durable-state store compares this way
   * because Pekko's revision of an entity counts its writes just as a version does.
   */
  public CompletionStage<Outcome> putIfVersion(byte[] key, byte[] value, long version) {
    return conditional(Compare.version(key, KvCommand.Op.EQUAL, version), key,
        new KvCommand.Put(key, value, KvCommand.NO_LEASE))
        .thenApply(t -> t.succeeded() ? new Outcome.Written(t.revision()) : conflict(t));
  }

  /** A delete only if the key's version is {@code version} (0: the key must not exist, and nothing is deleted). */
  public CompletionStage<Outcome> deleteIfVersion(byte[] key, long version) {
    return conditional(Compare.version(key, KvCommand.Op.EQUAL, version), key, new KvCommand.Delete(KeyRange.key(key)))
        .thenApply(t -> t.succeeded() ? deleted((KvResult.DeleteResult) t.results().get(0)) : conflict(t));
  }

  /**
   * etcd's transaction: {@code success} if every compare holds, else {@code failure}, at one
   * revision. For writes that must go together (a host's lease key and its grant record).
   */
  public CompletionStage<KvResult.TxnResult> txn(List<Compare> compares, List<KvCommand.TxnOp> success,
                                                 List<KvCommand.TxnOp> failure) {
    return propose(new KvCommand.Txn(compares, success, failure)).thenApply(r -> (KvResult.TxnResult) r);
  }

  /** A random positive lease id: clients choose ids, as etcd lets them, so a retried grant names the same lease. */
  public static long newLeaseId() {
    return java.util.concurrent.ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
  }

  /** Grants a lease; a TTL below the minimum (a few election timeouts) is {@link Refused}. */
  public CompletionStage<Lease> grant(long id, long ttlMillis) {
    return propose(new KvCommand.LeaseGrant(id, ttlMillis)).thenApply(QuorumKv::lease);
  }

  /**
   * Restarts the lease's TTL on the leader, without an entry in the log, so a keep-alive never queues behind
   * writes; an expired or revoked lease is {@link Refused} with LEASE_NOT_FOUND.
   */
  public CompletionStage<Lease> keepAlive(long id) {
    return client.renew(KvStateMachine.command(new KvCommand.LeaseKeepAlive(id)))
        .thenApply(r -> lease(decode(r.value())));
  }

  /** Revokes the lease, deleting its keys at one revision; completes with that revision. */
  public CompletionStage<Long> revoke(long id) {
    return propose(new KvCommand.LeaseRevoke(id)).thenApply(r -> ((KvResult.LeaseRevoked) r).revision());
  }

  /** Compacts the history at and below {@code revision}; watches from older revisions then fail. */
  public CompletionStage<Long> compact(long revision) {
    return propose(new KvCommand.Compact(revision)).thenApply(r -> ((KvResult.CompactResult) r).compacted());
  }

  private static Lease lease(KvResult r) {
    KvResult.LeaseResult l = (KvResult.LeaseResult) r;
    return new Lease(l.id(), l.ttlMillis());
  }

  /** Applies {@code op} only if the key's mod revision is {@code prevRevision}; else reads the key. */
  private CompletionStage<KvResult.TxnResult> conditional(byte[] key, long prevRevision, KvCommand.TxnOp op) {
    return conditional(Compare.modRevision(key, KvCommand.Op.EQUAL, prevRevision), key, op);
  }

  /** Applies {@code op} only if {@code compare} holds; else reads {@code key}. */
  private CompletionStage<KvResult.TxnResult> conditional(Compare compare, byte[] key, KvCommand.TxnOp op) {
    KvCommand.Txn txn = new KvCommand.Txn(List.of(compare), List.of(op), List.of(new KvCommand.Get(KeyRange.key(key), 1)));
    return propose(txn).thenApply(r -> (KvResult.TxnResult) r);
  }

  private CompletionStage<KvResult> propose(KvCommand command) {
    return client.propose(KvStateMachine.command(command)).thenApply(r -> decode(r.value()));
  }

  private static KvResult decode(byte[] bytes) {
    KvResult result = KvCodec.decodeResult(bytes);
    if (result instanceof KvResult.Rejected rejected && isCallers(rejected.reason())) {
      throw new Refused(rejected);
    }
    if (result instanceof KvResult.Rejected rejected) {
      // Sessions are opened and retried by QuorumClient; a rejection here is a bug, not bad input.
      throw new IllegalStateException("the quorum rejected the request: " + rejected.reason() + " "
          + rejected.message());
    }
    return result;
  }

  private static boolean isCallers(KvResult.Reason reason) {
    return switch (reason) {
      case SESSION_EXPIRED, STALE_SEQUENCE, MALFORMED -> false;
      case COMPACTED, FUTURE_REVISION, LEASE_NOT_FOUND, LEASE_EXISTS, TTL_TOO_SHORT -> true;
    };
  }

  private static Outcome deleted(KvResult.DeleteResult d) {
    return d.deleted() == 0 ? new Outcome.Missing() : new Outcome.Written(d.revision());
  }

  private static Outcome conflict(KvResult.TxnResult t) {
    return new Outcome.Conflict(first(t.results().get(0)).map(KeyValue::modRevision).orElse(0L));
  }

  private static Optional<KeyValue> first(KvResult range) {
    List<KeyValue> kvs = ((KvResult.RangeResult) range).kvs();
    return kvs.isEmpty() ? Optional.empty() : Optional.of(kvs.get(0));
  }
}
