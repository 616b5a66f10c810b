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

  /** The request was not applied; the message says what the client should do. */
  record Rejected(Reason reason, String message) implements KvResult {
  }

  enum Reason {
    /** The client's session expired or never existed: start a new client id at sequence 1. */
    SESSION_EXPIRED,
    /** An older request than the last one applied for this client: its answer was already delivered. */
    STALE_SEQUENCE,
    /** The entry's bytes are not a request this version understands. */
    MALFORMED
  }
}
