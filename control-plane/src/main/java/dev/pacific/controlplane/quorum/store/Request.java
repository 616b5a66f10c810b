package dev.pacific.controlplane.quorum.store;

/**
 * What a log entry carries: a command in a client session (Raft dissertation
 * §6.3). {@code seq} starts at 1 and grows by request; a retry reuses it.
 * {@code leaderTimeMillis} is the proposing leader's clock, the only clock
 * sessions expire by, so every member expires them at the same entry.
 * Client id 0 means no session (the leader's own proposals, e.g. lease expiry).
 */
public record Request(long clientId, long seq, long leaderTimeMillis, KvCommand command) {

  public static final long NO_SESSION = 0;
}
