package dev.pacific.controlplane.quorum.raft;

/** The roles of Raft paper §5.1, plus the pre-candidate of the dissertation §9.6. */
public enum Role {
    FOLLOWER,
    PRE_CANDIDATE,
    CANDIDATE,
    LEADER
}
