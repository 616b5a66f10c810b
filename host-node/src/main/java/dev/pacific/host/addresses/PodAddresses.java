package dev.pacific.host.addresses;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Gives each pod on this host its own loopback address from 127.64.0.0/10 (CONTRACT.md "Hosts and
 * pods"), so two pods can serve the same port. Linux routes all of 127.0.0.0/8 to {@code lo}, so
 * an address needs no setup to be bound. Addresses are handed out round-robin, so one just
 * released is not reused at once (a client could still be talking to the old pod); those ending
 * in .0 or .255 are skipped to spare tools that take them for network or broadcast addresses.
 */
public final class PodAddresses {

  private static final int BASE = (127 << 24) | (64 << 16);
  private static final int SIZE = 1 << 22; // a /10

  private final Map<String, Integer> byPod = new HashMap<>();
  private final Set<Integer> inUse = new HashSet<>();
  private int cursor = 1;

  /** The pod's address: the one it already has, or a free one; empty when the range is exhausted. */
  public synchronized Optional<String> assign(String podUid) {
    Integer held = byPod.get(podUid);
    if (held != null) {
      return Optional.of(text(held));
    }
    for (int tried = 0; tried < SIZE; tried++) {
      int offset = cursor;
      cursor = (cursor + 1) % SIZE;
      int last = offset & 0xff;
      if (last == 0 || last == 255 || inUse.contains(offset)) {
        continue;
      }
      inUse.add(offset);
      byPod.put(podUid, offset);
      return Optional.of(text(offset));
    }
    return Optional.empty();
  }

  /** Frees the pod's address once the pod is gone; releasing twice is harmless. */
  public synchronized void release(String podUid) {
    Integer offset = byPod.remove(podUid);
    if (offset != null) {
      inUse.remove(offset);
    }
  }

  public synchronized int assigned() {
    return byPod.size();
  }

  /** Whether an address lies in the pods' range, 127.64.0.0/10. */
  public static boolean inRange(String address) {
    String[] parts = address.split("\\.");
    return parts.length == 4 && parts[0].equals("127") && Integer.parseInt(parts[1]) >= 64
        && Integer.parseInt(parts[1]) < 128;
  }

  private static String text(int offset) {
    int ip = BASE + offset;
    return (ip >>> 24) + "." + ((ip >>> 16) & 0xff) + "." + ((ip >>> 8) & 0xff) + "." + (ip & 0xff);
  }
}
