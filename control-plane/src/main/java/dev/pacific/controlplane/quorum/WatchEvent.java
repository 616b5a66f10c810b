package dev.pacific.controlplane.quorum;

import dev.pacific.controlplane.quorum.store.Change;
import dev.pacific.controlplane.quorum.store.KeyValue;

/**
 * One change a watch delivers, typed as Kubernetes' watch events are: ADDED for a key's creation
 * (version 1), MODIFIED for a later put, DELETED for a deletion, whose {@code kv} is the key's
 * last state with the deleting revision as its mod revision. {@link #revision()} orders events;
 * one revision may hold several (a transaction, or a lease revoke deleting many keys).
 */
public record WatchEvent(Type type, KeyValue kv) {

  public enum Type { ADDED, MODIFIED, DELETED }

  public long revision() {
    return kv.modRevision();
  }

  static WatchEvent of(Change c) {
    if (c.type() == Change.Type.DELETE) {
      return new WatchEvent(Type.DELETED, c.kv());
    }
    return new WatchEvent(c.kv().version() == 1 ? Type.ADDED : Type.MODIFIED, c.kv());
  }
}
