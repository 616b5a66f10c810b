package dev.pacific.controlplane.quorum.store;

import java.util.List;

/**
 * What applying a {@link KvCommand} answered. The same bytes are recorded in
 * the client's session, so a retried request gets exactly the first answer
 * (Raft dissertation §6.3). {@code revision} is the store's revision after the
 * command, as in etcd's response header.
 */
public sealed interface KvResult {

  record PutResult(long revision) implements KvResult {
  }

  record DeleteResult(long revision, long deleted) implements KvResult {
  }

  /** {@code count} is the number of keys in the range, {@code more} whether the limit cut {@code kvs} short. */
  record RangeResult(List<KeyValue> kvs, boolean more, long count, long revision) implements KvResult {

    public RangeResult {
      kvs = List.copyOf(kvs);
    }
  }

  record TxnResult(boolean succeeded, long revision, List<KvResult> results) implements KvResult {

    public TxnResult {
      results = List.copyOf(results);
    }
  }

  /** History at and below {@code compacted} is gone; {@code revision} is the store's (unchanged). */
  record CompactResult(long compacted, long revision) implements KvResult {
  }

  /** A lease granted or kept alive: its TTL runs again from now on the leader. */
  record LeaseResult(long id, long ttlMillis, long revision) implements KvResult {
  }

  /** A lease revoked (by a client or at expiry): {@code deleted} attached keys went at {@code revision}. */
  record LeaseRevoked(long id, long deleted, long revision) implements KvResult {
  }

  /** The request was not applied; the message says what the client should do. */
  record Rejected(Reason reason, String message) implements KvResult {
  }

  enum Reason {
    /** The client's session expired or never existed: start a new client id at sequence 1. */
    SESSION_EXPIRED,
    /** An older request than the last one applied for this client: its answer was already delivered. */
    STALE_SEQUENCE,
    /** The entry's bytes are not a request this version understands. */
    MALFORMED,
    /** The revision asked for was compacted away (etcd's ErrCompacted). */
    COMPACTED,
    /** The revision asked for is beyond the store's (etcd's ErrFutureRev). */
    FUTURE_REVISION,
    /** No such lease: never granted, revoked, or expired. */
    LEASE_NOT_FOUND,
    /** A lease with this id exists already. */
    LEASE_EXISTS,
    /** The TTL asked for is below the minimum; ask for at least the minimum. */
    TTL_TOO_SHORT
  }
}
