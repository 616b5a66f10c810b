package dev.pacific.controlplane.persistence;

/**
 * A write by a copy of an entity that is behind the quorum: another copy (a partition, a second
 * incarnation) wrote the key since this one read it. The write was not applied; the entity must
 * read the key again. The API answers 409 Conflict.
 */
public final class StaleWrite extends RuntimeException {

  private final String persistenceId;
  private final long expectedVersion;
  private final long currentModRevision;

  public StaleWrite(String persistenceId, long expectedVersion, long currentModRevision) {
    super("stale write to " + persistenceId + ": expected the key at version " + expectedVersion
        + ", but another writer changed it (its mod revision is now " + currentModRevision + ")");
    this.persistenceId = persistenceId;
    this.expectedVersion = expectedVersion;
    this.currentModRevision = currentModRevision;
  }

  public String persistenceId() {
    return persistenceId;
  }

  /** The key version this writer expected (its Pekko revision minus one). */
  public long expectedVersion() {
    return expectedVersion;
  }

  /** The key's mod revision now, 0 when it was deleted. */
  public long currentModRevision() {
    return currentModRevision;
  }
}
