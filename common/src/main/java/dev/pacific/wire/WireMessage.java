package dev.pacific.wire;

/**
 * Marker for every message that crosses the cluster between members. Bound to Pekko's
 * Jackson CBOR serializer in {@code reference.conf}, so nothing travels by Java serialization.
 */
public interface WireMessage {}
