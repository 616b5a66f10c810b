/**
 * The registry in the quorum: where objects live ({@link dev.pacific.controlplane.persistence.RegistryKeys}),
 * how an entity's state is stored ({@link dev.pacific.controlplane.persistence.StoredState}), and the Pekko
 * Persistence durable-state plugin that stores it
 * ({@link dev.pacific.controlplane.persistence.QuorumDurableStateStore}, configured as
 * {@code pacific.persistence.durable-state}).
 *
 * <p>Pekko's revision of an entity is its key's quorum version; every write compares it in a quorum
 * transaction, so a stale copy of an entity fails with {@link dev.pacific.controlplane.persistence.StaleWrite}
 * and never overwrites. What Pekko's API cannot carry — the key's mod revision (the object's
 * resourceVersion) and a write's failure before Pekko restarts the entity — goes through the per-system
 * {@link dev.pacific.controlplane.persistence.RegistryRevisions} extension; the member's quorum client
 * through {@link dev.pacific.controlplane.persistence.RegistryQuorum}.
 */
package dev.pacific.controlplane.persistence;
