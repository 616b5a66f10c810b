package dev.pacific.controlplane.quorum.store;

import java.util.List;

/**
 * The writes the key-value state machine applies from the log, after etcd v3's
 * KV service. Reads outside a transaction are not commands: a member serves
 * them from its applied state once ReadIndex says it is current (§6.4 of
 * Ongaro's dissertation).
 */
public sealed interface KvCommand permits KvCommand.Put, KvCommand.Delete, KvCommand.Txn {

  /** An operation inside a transaction's then/else branch. */
  sealed interface TxnOp permits Put, Delete, Get {
  }

  record Put(byte[] key, byte[] value) implements KvCommand, TxnOp {

    public Put {
      requireKey(key);
      value = value == null ? new byte[0] : value;
    }
  }

  /** Deletes a key or every key of a range or prefix. */
  record Delete(KeyRange range) implements KvCommand, TxnOp {

    public Delete {
      if (range == null) {
        throw new IllegalArgumentException("a delete needs a key range");
      }
    }
  }

  /** Reads the latest state inside a transaction; {@code limit} 0 means no limit. */
  record Get(KeyRange range, long limit) implements TxnOp {

    public Get {
      if (range == null || limit < 0) {
        throw new IllegalArgumentException("a get needs a key range and a limit of at least 0");
      }
    }
  }

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
