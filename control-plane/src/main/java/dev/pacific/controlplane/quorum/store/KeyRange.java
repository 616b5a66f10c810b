package dev.pacific.controlplane.quorum.store;

import java.util.Arrays;

/**
 * Keys {@code [from, to)} in unsigned bytewise order, as etcd's key and
 * range_end: {@code to == null} is the single key {@code from}, an empty
 * {@code to} means every key from {@code from} on (etcd's "\0").
 */
public record KeyRange(byte[] from, byte[] to) {

  public KeyRange {
    if (from == null) {
      throw new IllegalArgumentException("a range needs a start key");
    }
  }

  public static KeyRange key(byte[] key) {
    return new KeyRange(key, null);
  }

  /** Every key that starts with {@code prefix} (etcd's {@code clientv3.WithPrefix}). */
  public static KeyRange prefix(byte[] prefix) {
    return new KeyRange(prefix, prefixEnd(prefix));
  }

  public static KeyRange between(byte[] from, byte[] to) {
    return new KeyRange(from, to);
  }

  /** The rest of this range after {@code key}: where the next page of a paged read starts. */
  public KeyRange after(byte[] key) {
    return new KeyRange(Arrays.copyOf(key, key.length + 1), to);
  }

  public boolean isSingleKey() {
    return to == null;
  }

  public boolean contains(byte[] key) {
    if (to == null) {
      return Arrays.equals(key, from);
    }
    return Bytes.compare(key, from) >= 0 && (to.length == 0 || Bytes.compare(key, to) < 0);
  }

  /** True when {@code key} lies beyond the range, so a forward scan can stop. */
  boolean isPast(byte[] key) {
    if (to == null) {
      return Bytes.compare(key, from) > 0;
    }
    return to.length > 0 && Bytes.compare(key, to) >= 0;
  }

  /** The smallest key greater than every key with this prefix; empty (to the end) when there is none. */
  static byte[] prefixEnd(byte[] prefix) {
    for (int i = prefix.length - 1; i >= 0; i--) {
      if (prefix[i] != (byte) 0xff) {
        byte[] end = Arrays.copyOf(prefix, i + 1);
        end[i]++;
        return end;
      }
    }
    return new byte[0];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyRange r && Arrays.equals(r.from, from) && Arrays.equals(r.to, to);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(from) * 31 + Arrays.hashCode(to);
  }
}
