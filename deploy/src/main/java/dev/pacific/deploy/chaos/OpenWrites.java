package dev.pacific.deploy.chaos;

import dev.pacific.controlplane.quorum.check.Operation;
import dev.pacific.controlplane.quorum.check.RegisterOp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Settles the open-ended writes of a history (put or compare-and-swap that timed out or lost its
 * connection) with what the watch saw, before the linearizability search. Each open write
 * multiplies the search (it may take effect at any moment after its call, or never), and a run
 * with leader kills and pauses leaves hundreds of them.
 *
 * <p>Values are unique, so a value names the write that made it. Once the watch is proven complete
 * (every key's events number its version, each acknowledged write at its revision), an open write:
 * <ul>
 *   <li>whose value the watch saw took effect, no later than the moment the event arrived: it
 *       becomes a completed write (a CAS that succeeded) returning then;</li>
 *   <li>whose value the watch never saw never took effect (a CAS that failed changes nothing
 *       either): it is left out, as it constrains nothing.</li>
 * </ul>
 * A value watched before its write was even called is an anomaly, reported, and that write is
 * left open. A value several operations wrote (a client re-sending the same put) names no single
 * one: such a write is left out only if the watch never saw its value after its call, and is
 * otherwise left open.
 */
final class OpenWrites {

  /** The history with its open writes settled, and what was done. */
  record Settled(List<Operation> operations, int tookEffect, int neverTookEffect, List<String> anomalies) {}

  private OpenWrites() {}

  static Settled settle(List<Operation> history, List<KvWatch.Event> watched) {
    Map<String, List<KvWatch.Event>> byValue = new HashMap<>();
    for (KvWatch.Event e : watched) {
      if (e.value() != null) {
        byValue.computeIfAbsent(e.key() + "\0" + e.value(), v -> new ArrayList<>()).add(e);
      }
    }
    Map<String, Integer> writers = new HashMap<>();
    for (Operation op : history) {
      String written = writtenValue(op);
      if (written != null) {
        writers.merge(op.key() + "\0" + written, 1, Integer::sum);
      }
    }
    List<Operation> out = new ArrayList<>(history.size());
    List<String> anomalies = new ArrayList<>();
    int took = 0;
    int never = 0;
    for (Operation op : history) {
      String written = writtenValue(op);
      if (!op.indeterminate() || written == null) {
        out.add(op);
        continue;
      }
      String id = op.key() + "\0" + written;
      List<KvWatch.Event> seen = byValue.getOrDefault(id, List.of());
      if (writers.get(id) > 1) {
        if (seen.stream().noneMatch(e -> e.seenNanos() >= op.call())) {
          never++;
        } else {
          out.add(op);
        }
        continue;
      }
      KvWatch.Event e = seen.isEmpty() ? null : seen.get(0);
      if (e == null) {
        never++;
      } else if (e.seenNanos() < op.call()) {
        anomalies.add(op + " was watched at revision " + e.modRevision() + " before it was called");
        out.add(op);
      } else {
        took++;
        Object output = op.input() instanceof RegisterOp.Cas ? Boolean.TRUE : null;
        out.add(new Operation(op.id(), op.clientId(), op.key(), op.input(), output, op.call(), e.seenNanos()));
      }
    }
    return new Settled(out, took, never, anomalies);
  }

  private static String writtenValue(Operation op) {
    if (op.input() instanceof RegisterOp.Put p) {
      return p.value();
    }
    if (op.input() instanceof RegisterOp.Cas c) {
      return c.update();
    }
    return null;
  }
}
