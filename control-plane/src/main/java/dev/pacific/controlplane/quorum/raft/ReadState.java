package dev.pacific.controlplane.quorum.raft;

/**
 * The answer to {@link Raft#readIndex(long)} (Raft dissertation §6.4): once the
 * member has applied the log up to {@code index}, a read of its state machine
 * is linearizable with respect to the request identified by {@code context}.
 */
public record ReadState(long context, long index) {
}
