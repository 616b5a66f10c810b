package dev.pacific.controlplane.quorum.store;

import java.util.Arrays;

/**
 * Byte layouts shared by the stores. Numbers are big-endian so that LevelDB's
 * bytewise order is numeric order: log entries by index, history by revision.
 */
final class Bytes {

  private Bytes() {
  }

  static byte[] withLong(byte prefix, long n) {
    byte[] out = new byte[9];
    out[0] = prefix;
    putLong(out, 1, n);
    return out;
  }

  static void putLong(byte[] out, int at, long n) {
    for (int i = 7; i >= 0; i--) {
      out[at + i] = (byte) n;
      n >>>= 8;
    }
  }

  static long getLong(byte[] in, int at) {
    long n = 0;
    for (int i = 0; i < 8; i++) {
      n = (n << 8) | (in[at + i] & 0xff);
    }
    return n;
  }

  static void putInt(byte[] out, int at, int n) {
    for (int i = 3; i >= 0; i--) {
      out[at + i] = (byte) n;
      n >>>= 8;
    }
  }

  static int getInt(byte[] in, int at) {
    int n = 0;
    for (int i = 0; i < 4; i++) {
      n = (n << 8) | (in[at + i] & 0xff);
    }
    return n;
  }

  static byte[] concat(byte prefix, byte[] rest) {
    byte[] out = new byte[rest.length + 1];
    out[0] = prefix;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }

  static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  static int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }
}
