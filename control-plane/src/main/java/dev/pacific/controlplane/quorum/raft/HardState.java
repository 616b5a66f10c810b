package dev.pacific.controlplane.quorum.raft;

/**
 * The state a member must persist before it sends any message that depends on
 * it (Raft paper Fig. 2, "Persistent state on all servers"): the current term
 * and the vote cast in it. The commit index is kept too, so a restarted member
 * can re-apply committed entries without waiting to hear from a leader.
 *
 * @param vote the member voted for in {@code term}, or {@code null} for none
 */
public record HardState(long term, String vote, long commit) {

    public static final HardState EMPTY = new HardState(0, null, 0);
}
