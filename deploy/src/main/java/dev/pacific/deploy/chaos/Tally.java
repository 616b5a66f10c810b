package dev.pacific.deploy.chaos;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Operations counted by kind and outcome, e.g. {@code "kv.put 200"}, {@code "pod.create no answer"}. */
final class Tally {

  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

  void count(String kind, Client.Answer a) {
    add(kind + " " + (a == null ? "no answer" : a.code()));
  }

  void add(String what) {
    counts.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
  }

  Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** Totals per kind (the part before the outcome). */
  Map<String, Long> byKind() {
    Map<String, Long> out = new TreeMap<>();
    snapshot().forEach((k, v) -> out.merge(k.substring(0, k.lastIndexOf(' ') < 0 ? k.length() : k.indexOf(' ')), v,
        Long::sum));
    return out;
  }
}
