package dev.pacific.host.podagent;

import dev.pacific.api.Probe;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers each probe as the test set it; the probes are told apart by their {@code exec} command
 * ({@code startup}, {@code live}, {@code ready}), and each answer is counted.
 */
final class ScriptedProber implements Prober {

  final Map<String, Boolean> healthy = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  static Probe probe(String name, int initialDelay, int period, int successThreshold, int failureThreshold) {
    return new Probe(new Probe.ExecAction(java.util.List.of(name)), null, null, initialDelay, 1, period,
        successThreshold, failureThreshold, null);
  }

  @Override
  public CompletionStage<Result> probe(Probe probe, Target target) {
    String name = probe.exec().command().get(0);
    calls.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
    boolean ok = healthy.getOrDefault(name, true);
    return CompletableFuture.completedFuture(new Result(ok, ok ? "" : name + " said no"));
  }

  int calls(String name) {
    return calls.getOrDefault(name, new AtomicInteger()).get();
  }
}
