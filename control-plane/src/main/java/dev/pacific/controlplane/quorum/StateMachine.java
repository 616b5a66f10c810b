package dev.pacific.controlplane.quorum;

import dev.pacific.controlplane.quorum.raft.Entry;
import dev.pacific.controlplane.quorum.raft.Snapshot;
import java.util.List;

/**
 * What the quorum replicates: committed entries go in, in log order, exactly
 * once each. The MVCC key-value store implements it ({@link KvStateMachine}); tests use a small
 * in-memory one. Exactly-once for client retries (dissertation §6.3) is the
 * state machine's job: entries carry the client's session and sequence number.
 */
public interface StateMachine {

  /** The index of the last entry applied (or of the restored snapshot); 0 when empty. */
  long appliedIndex();

  /**
   * Applies entries that directly follow {@link #appliedIndex()}, durably with
   * the new applied index. Returns one result per entry, in order; a leader's
   * empty entry (§8) applies as a no-op with an empty result.
   */
  List<byte[]> applyBatch(List<Entry> entries);

  /** Answers a read against the applied state; the member calls it only once it is linearizable. */
  byte[] query(byte[] query);

  /**
   * Answers a request the leader alone serves ({@link QuorumMember.Renew}), once a heartbeat round begun after the
   * request arrived confirmed its leadership: a lease keep-alive, which restarts a deadline kept on the leader's
   * clock without an entry in the log. The default answers it as a read.
   */
  default byte[] renew(byte[] request) {
    return query(request);
  }

  /**
   * Whether the applied state survives a restart by itself once {@link #sync()} returned: the log is then compacted to
   * a {@link dev.pacific.controlplane.quorum.raft.Snapshot#marker marker}, and an image is made only when a lagging
   * follower needs one. The default (a state kept in memory) is not.
   */
  default boolean durable() {
    return false;
  }

  /** Makes everything applied so far durable; the member calls it before the log drops the entries it came from. */
  default void sync() {
  }

  /** An image of the applied state as of {@link #appliedIndex()}, for log compaction (§7). */
  byte[] snapshot();

  /** Replaces the whole state with a leader's snapshot (§7); afterwards appliedIndex() is its index. */
  void restore(Snapshot snapshot);

  /** A digest of the applied state, equal on members that applied the same entries. */
  String stateHash();

  /**
   * The command as the leader proposes it, stamped with the leader's clock. Client sessions
   * expire by this time as it reaches every member through the log, never by a member's own
   * clock (dissertation §6.3). The default leaves the command as it is.
   */
  default byte[] stamp(byte[] command, long leaderTimeMillis) {
    return command;
  }

  /**
   * Commands the leader proposes on its own now (revokes of expired leases, automatic compaction),
   * in the format of clients' commands. Asked on every tick while this member leads;
   * {@code newLeader} on the first tick of a leadership, when deadlines kept on the leader's clock
   * must start again (etcd's lessor {@code Promote}). The default proposes nothing.
   */
  default List<byte[]> leaderProposals(boolean newLeader) {
    return List.of();
  }

  /**
   * Forgets what is held in memory and reads the applied state again from storage, as a restarted process would:
   * the member calls it when its actor restarts after a failure, which may have struck between a change in memory
   * and its write. The default (a state kept only in memory) has nothing to read.
   */
  default void reload() {
  }
}
