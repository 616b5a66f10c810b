package dev.pacific.controlplane.entities;

/**
 * Marker for an entity's commands and replies: sharding sends them between control-plane members,
 * so they are bound to Pekko's Jackson CBOR serializer in {@code reference.conf}, never Java
 * serialization. Entity states are bound through {@link EntityState} (Jackson JSON).
 */
public interface EntityMessage {}
