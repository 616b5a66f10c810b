package dev.pacific.controlplane.quorum;

/**
 * Marker for every quorum message that may cross Artery: bound to
 * {@link QuorumSerializer} in {@code reference.conf}, a compact binary format,
 * because Raft traffic is the hot path (no Java serialization, no JSON or CBOR).
 */
public interface QuorumWire {}
