package dev.pacific.controlplane.quorum.store;

/**
 * One change at one revision, as etcd's {@code mvccpb.Event}: what a watch
 * from an earlier revision replays. A deletion's {@code kv} is a tombstone
 * (version 0, mod revision the deleting one) that keeps the deleted value and
 * create revision, as etcd's {@code prev_kv} does, so a Kubernetes-style DELETED
 * event can carry the object's last state.
 */
public record Change(Type type, KeyValue kv) {

  public enum Type { PUT, DELETE }

  static Change deletion(KeyValue last, long revision) {
    return new Change(Type.DELETE, new KeyValue(last.key(), last.value(), last.createRevision(), revision, 0));
  }
}
