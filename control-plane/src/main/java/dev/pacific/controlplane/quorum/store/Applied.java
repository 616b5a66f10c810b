package dev.pacific.controlplane.quorum.store;

/** The answer to the request in log entry {@code index}, for the member to hand to the waiting client. */
public record Applied(long index, long clientId, long seq, KvResult result) {
}
