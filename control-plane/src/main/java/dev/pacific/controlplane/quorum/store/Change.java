package dev.pacific.controlplane.quorum.store;

/**
 * One change at one revision, as etcd's {@code mvccpb.Event}: what a watch
 * from an earlier revision replays. A deletion's {@code kv} carries only the
 * key and the deleting revision (a tombstone, version 0).
 */
public record Change(Type type, KeyValue kv) {

  public enum Type { PUT, DELETE }

  static Change deletion(byte[] key, long revision) {
    return new Change(Type.DELETE, new KeyValue(key, new byte[0], 0, revision, 0));
  }
}
