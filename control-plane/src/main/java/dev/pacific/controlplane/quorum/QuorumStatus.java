package dev.pacific.controlplane.quorum;

import java.util.List;

/**
 * What one member knows of the quorum, the body of {@code /admin/v1/quorum}
 * (CONTRACT.md). {@code leader} is null while there is none.
 */
public record QuorumStatus(String self, String leader, long term, long commitIndex, long appliedIndex,
                           String stateHash, List<MemberStatus> members, long lastIndex, long snapshotIndex)
    implements QuorumWire {

  public QuorumStatus {
    members = List.copyOf(members);
  }

  /**
   * @param reachable  this member heard from it within an election timeout (always true for itself)
   * @param matchIndex the last index known to match the leader's log; null where this member does not know
   *                   (only a leader tracks its followers; every member knows its own last index)
   * @param replication how the leader sends to it (probing, replicating, or sending a snapshot), in words;
   *                    null unless this member leads: what to read when a follower lags
   */
  public record MemberStatus(String name, boolean reachable, Long matchIndex, String replication) {}
}
