package dev.pacific.deploy.chaos;

import dev.pacific.controlplane.quorum.check.CheckResult;
import dev.pacific.controlplane.quorum.check.LinearizabilityChecker;
import dev.pacific.controlplane.quorum.check.Operation;
import dev.pacific.controlplane.quorum.check.RegisterModel;
import dev.pacific.controlplane.quorum.check.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The key-value checks after the cluster healed: the history is linearizable; every acknowledged
 * write reads back (keys written once) or was seen by the watch at its revision (shared keys);
 * and the watch saw every committed change of every key once, in revision order, with no gap:
 * for each key, as many events as the key's final version, the last one its final value.
 */
final class KvChecks {

  private final Client client;
  private final KvWorkload kv;
  private final KvWatch watch;
  /** Set once the watch is proven complete: then it may settle the history's open-ended writes. */
  private boolean watchProven;

  KvChecks(Client client, KvWorkload kv, KvWatch watch) {
    this.client = client;
    this.kv = kv;
    this.watch = watch;
  }

  /** The checks that ask the cluster: acknowledged writes read back, and the watch against them. */
  List<Check> observed() throws Exception {
    List<Check> checks = new ArrayList<>();
    Map<String, Client.Answer> finals = readFinal();
    checks.add(ackedWritesPresent(finals));
    long last = finals.values().stream().filter(Objects::nonNull).mapToLong(Client.Answer::modRevision).max().orElse(0);
    long waitStart = System.nanoTime();
    while (watch.lastRevision() < last && System.nanoTime() - waitStart < 60_000_000_000L) {
      Thread.sleep(200);
    }
    Check watched = watchComplete(finals);
    watchProven = watched.passed();
    checks.add(watched);
    return checks;
  }

  /**
   * The history against the register model, its open-ended writes first settled by the watch if
   * {@link #observed} proved the watch complete ({@link OpenWrites}). Run it last, once nothing else
   * needs the network: the search is CPU- and memory-hungry (bounded by {@code budget} and a quarter
   * of the heap).
   */
  Check linearizable(Duration budget) {
    List<Operation> ops = kv.operations();
    long open = ops.stream().filter(Operation::indeterminate).count();
    String settled = "not settled (the watch is not proven complete)";
    List<String> anomalies = List.of();
    if (watchProven) {
      OpenWrites.Settled s = OpenWrites.settle(ops, watch.events());
      ops = s.operations();
      anomalies = s.anomalies();
      settled = String.format("the watch settled %d as taken effect, %d as never", s.tookEffect(), s.neverTookEffect());
    }
    long t = System.nanoTime();
    CheckResult r = LinearizabilityChecker.check(new RegisterModel(), ops, budget);
    String detail = String.format("%s in %d ms; %d operations, %d open-ended (%s)%s", r,
        (System.nanoTime() - t) / 1_000_000, ops.size(), open, settled, sample(anomalies));
    return new Check("kv history linearizable",
        r.verdict() == Verdict.LINEARIZABLE && ops.size() > 100 && anomalies.isEmpty(), detail);
  }

  /** Every key the workload wrote, with its final state read through the LB (asked again until answered). */
  private Map<String, Client.Answer> readFinal() throws Exception {
    Set<String> keys = new LinkedHashSet<>(kv.sharedKeys());
    kv.acked().forEach(s -> keys.add(s.key()));
    ExecutorService readers = Executors.newFixedThreadPool(8);
    try {
      Map<String, Future<Client.Answer>> futures = new HashMap<>();
      for (String key : keys) {
        futures.put(key, readers.submit(() -> {
          Client.Answer a = client.kvGet(key);
          for (int attempt = 1; (a == null || a.code() >= 500) && attempt < 10; attempt++) {
            Thread.sleep(500);
            a = client.kvGet(key);
          }
          return a;
        }));
      }
      Map<String, Client.Answer> out = new HashMap<>();
      for (var e : futures.entrySet()) {
        Client.Answer a = e.getValue().get();
        if (a != null && a.code() == 200) {
          out.put(e.getKey(), a);
        } else if (a != null && a.code() == 404) {
          out.put(e.getKey(), null);
        }
      }
      futures.keySet().stream().filter(k -> !out.containsKey(k)).forEach(k -> out.put(k, null));
      return out;
    } finally {
      readers.shutdownNow();
    }
  }

  private Check ackedWritesPresent(Map<String, Client.Answer> finals) {
    List<String> wrong = new ArrayList<>();
    List<KvWorkload.Seen> acked = kv.acked();
    Set<String> shared = Set.copyOf(kv.sharedKeys());
    for (KvWorkload.Seen s : acked) {
      Client.Answer f = finals.get(s.key());
      if (f == null) {
        wrong.add(s.key() + ": acknowledged at revision " + s.revision() + ", now absent");
      } else if (f.modRevision() < s.revision()) {
        wrong.add(s.key() + ": acknowledged at revision " + s.revision() + ", now at older " + f.modRevision());
      } else if (!shared.contains(s.key()) && !s.value().equals(f.value())) {
        wrong.add(s.key() + ": written once with " + s.value() + ", reads " + f.value());
      }
    }
    return new Check("every acknowledged write present", wrong.isEmpty(),
        acked.size() + " acknowledged writes on " + finals.size() + " keys" + sample(wrong));
  }

  private Check watchComplete(Map<String, Client.Answer> finals) {
    List<KvWatch.Event> events = watch.events();
    List<String> wrong = new ArrayList<>(watch.errors());
    Map<Long, KvWatch.Event> byRevision = new HashMap<>();
    Map<String, List<KvWatch.Event>> byKey = new HashMap<>();
    long previous = -1;
    for (KvWatch.Event e : events) {
      if (e.modRevision() <= previous) {
        wrong.add("event at revision " + e.modRevision() + " (" + e.key() + ") after revision " + previous
            + ": out of order or a duplicate");
      }
      previous = Math.max(previous, e.modRevision());
      byRevision.put(e.modRevision(), e);
      byKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e);
    }
    List<KvWorkload.Seen> known = new ArrayList<>(kv.acked());
    known.addAll(kv.read());
    for (KvWorkload.Seen s : known) {
      KvWatch.Event e = byRevision.get(s.revision());
      if (e == null || !e.key().equals(s.key()) || !s.value().equals(e.value())) {
        wrong.add(s.key() + "=" + s.value() + " at revision " + s.revision() + " (acknowledged or read) was watched as "
            + e);
      }
    }
    finals.forEach((key, f) -> {
      List<KvWatch.Event> seen = byKey.getOrDefault(key, List.of());
      long version = f == null ? 0 : f.body().path("version").asLong();
      if (seen.size() != version) {
        wrong.add(key + ": version " + version + " but " + seen.size() + " events watched (a gap or a duplicate)");
      } else if (f != null && (seen.get(seen.size() - 1).modRevision() != f.modRevision()
          || !seen.get(seen.size() - 1).value().equals(f.value()))) {
        wrong.add(key + ": last watched " + seen.get(seen.size() - 1) + ", reads " + f.value() + " at "
            + f.modRevision());
      }
    });
    return new Check("watch saw every change once, in order", wrong.isEmpty() && !events.isEmpty(),
        events.size() + " events, " + watch.resumes() + " resumes, " + known.size() + " acknowledged or read values"
            + sample(wrong));
  }

  static String sample(List<String> wrong) {
    if (wrong.isEmpty()) {
      return "";
    }
    return "; " + wrong.size() + " wrong, e.g. " + String.join(" | ", wrong.subList(0, Math.min(5, wrong.size())));
  }
}
