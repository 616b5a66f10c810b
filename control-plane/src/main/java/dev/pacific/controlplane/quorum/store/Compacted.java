package dev.pacific.controlplane.quorum.store;

/**
 * The history a reader asked for was compacted away (etcd's ErrCompacted; Kubernetes answers a
 * watch from such a resourceVersion with 410 Gone). {@code compactedRevision} is the oldest
 * revision a watch can still start from: it then gets every change after it.
 */
public final class Compacted extends RuntimeException {

  private final long requested;
  private final long compactedRevision;

  public Compacted(long requested, long compactedRevision) {
    super("revision " + requested + " has been compacted; the oldest revision a watch can start from is "
        + compactedRevision + " (list again and watch from the list's revision)");
    this.requested = requested;
    this.compactedRevision = compactedRevision;
  }

  public long requested() {
    return requested;
  }

  public long compactedRevision() {
    return compactedRevision;
  }
}
