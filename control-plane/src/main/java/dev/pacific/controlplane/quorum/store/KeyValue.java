package dev.pacific.controlplane.quorum.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A key's state at one revision, as etcd v3's {@code mvccpb.KeyValue}: the
 * revision that created it (since its last deletion), the revision of its last
 * change, and its version — the number of changes since its creation, reset
 * when it is deleted. {@code modRevision} becomes a Kubernetes resourceVersion.
 */
public record KeyValue(byte[] key, byte[] value, long createRevision, long modRevision, long version) {

  public KeyValue {
    value = value == null ? new byte[0] : value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyValue kv && Arrays.equals(kv.key, key) && Arrays.equals(kv.value, value)
        && kv.createRevision == createRevision && kv.modRevision == modRevision && kv.version == version;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key) * 31 + Long.hashCode(modRevision);
  }

  @Override
  public String toString() {
    return "KeyValue[" + new String(key, StandardCharsets.UTF_8) + ", bytes=" + value.length + ", create="
        + createRevision + ", mod=" + modRevision + ", version=" + version + "]";
  }
}
