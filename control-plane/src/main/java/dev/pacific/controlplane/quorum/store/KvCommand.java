package dev.pacific.controlplane.quorum.store;

import java.util.List;

/**
 * The writes the key-value state machine applies from the log, after etcd v3's
 * KV service. Reads outside a transaction are not commands: a member serves
 * them from its applied state once ReadIndex says it is current (§6.4 of
 * Ongaro's dissertation).
 */
public sealed interface KvCommand permits KvCommand.Put, KvCommand.Delete, KvCommand.Txn, KvCommand.Compact,
    KvCommand.LeaseGrant, KvCommand.LeaseKeepAlive, KvCommand.LeaseRevoke {

  /** An operation inside a transaction's then/else branch. */
  sealed interface TxnOp permits Put, Delete, Get {
  }

  /**
   * Writes a key; {@code lease} attaches it to a lease (0 = none). As in etcd, a put without a
   * lease detaches the key from the lease it had, and a put naming a lease that does not exist
   * is refused ({@code LEASE_NOT_FOUND}).
   */
  record Put(byte[] key, byte[] value, long lease) implements KvCommand, TxnOp {

    public Put {
      requireKey(key);
      value = value == null ? new byte[0] : value;
      if (lease < 0) {
        throw new IllegalArgumentException("a lease id is positive (0 = no lease)");
      }
    }

    public Put(byte[] key, byte[] value) {
      this(key, value, NO_LEASE);
    }
  }

  long NO_LEASE = 0;

  /**
   * etcd's Compact: forgets the history at and below {@code revision}, keeping the latest version
   * of every live key. A watch or a range at a compacted revision fails with {@code COMPACTED}.
   * Takes no revision of its own (etcd's compaction does not bump the store revision).
   */
  record Compact(long revision) implements KvCommand {

    public Compact {
      if (revision <= 0) {
        throw new IllegalArgumentException("compaction needs a positive revision");
      }
    }
  }

  /**
   * etcd's LeaseGrant with the id chosen by the client (etcd lets it, and a retried grant must
   * name the same lease). The TTL is at least the store's minimum, a small multiple of the
   * election timeout, or a failover alone could expire the lease.
   */
  record LeaseGrant(long id, long ttlMillis) implements KvCommand {

    public LeaseGrant {
      if (id <= 0 || ttlMillis <= 0) {
        throw new IllegalArgumentException("a lease needs a positive id and TTL");
      }
    }
  }

  /**
   * Restarts the lease's TTL. Through the log, unlike etcd's leader-local keep-alive, so that
   * every member knows the last keep-alive and any new leader restarts the TTL from it.
   */
  record LeaseKeepAlive(long id) implements KvCommand {
  }

  /** Ends the lease and deletes every key attached to it, all at one revision (as etcd's revoke). */
  record LeaseRevoke(long id) implements KvCommand {
  }

  /** Deletes a key or every key of a range or prefix. */
  record Delete(KeyRange range) implements KvCommand, TxnOp {

    public Delete {
      if (range == null) {
        throw new IllegalArgumentException("a delete needs a key range");
      }
    }
  }

  /**
   * Reads keys, {@code limit} 0 meaning no limit. {@code revision} 0 reads the latest state; a
   * positive one reads the range as it was at that revision (etcd's RangeRequest.revision), which
   * only a read-only query may do: a consistent list reads its later pages at its first page's
   * revision, as Kubernetes' continue tokens do. A compacted revision is refused with
   * {@code COMPACTED}, a future one with {@code FUTURE_REVISION}.
   */
  record Get(KeyRange range, long limit, long revision) implements TxnOp {

    public Get {
      if (range == null || limit < 0 || revision < 0) {
        throw new IllegalArgumentException("a get needs a key range, a limit of at least 0 and a revision of at least 0");
      }
    }

    /** The latest state. */
    public Get(KeyRange range, long limit) {
      this(range, limit, LATEST);
    }
  }

  /** A {@link Get} of the latest state. */
  long LATEST = 0;

  /**
   * etcd's Txn: if every compare holds, run {@code success}, else
   * {@code failure}, all at one revision (one revision for the whole
   * transaction, none when it writes nothing).
   */
  record Txn(List<Compare> compares, List<TxnOp> success, List<TxnOp> failure) implements KvCommand {

    public Txn {
      compares = List.copyOf(compares);
      success = List.copyOf(success);
      failure = List.copyOf(failure);
    }
  }

  /** {@code target(key) op operand}: {@code value} for VALUE, {@code number} for the others. */
  record Compare(byte[] key, Target target, Op op, long number, byte[] value) {

    public Compare {
      requireKey(key);
      if (target == null || op == null) {
        throw new IllegalArgumentException("a compare needs a target and an operator");
      }
    }

    public static Compare modRevision(byte[] key, Op op, long revision) {
      return new Compare(key, Target.MOD_REVISION, op, revision, null);
    }

    public static Compare version(byte[] key, Op op, long version) {
      return new Compare(key, Target.VERSION, op, version, null);
    }

    public static Compare createRevision(byte[] key, Op op, long revision) {
      return new Compare(key, Target.CREATE_REVISION, op, revision, null);
    }

    public static Compare value(byte[] key, Op op, byte[] value) {
      return new Compare(key, Target.VALUE, op, 0, value);
    }
  }

  /** Empty keys are refused, as etcd refuses them ("key is not provided"). */
  private static void requireKey(byte[] key) {
    if (key == null || key.length == 0) {
      throw new IllegalArgumentException("a key must not be empty");
    }
  }

  enum Target { VALUE, VERSION, MOD_REVISION, CREATE_REVISION }

  enum Op { EQUAL, NOT_EQUAL, LESS, GREATER }
}
