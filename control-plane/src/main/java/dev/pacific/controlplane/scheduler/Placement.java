package dev.pacific.controlplane.scheduler;

import dev.pacific.api.Pod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The placement pipeline: every {@link Filter} on every host, then the weighted {@link Score}s of
 * the hosts left, highest first (ties broken by host name, so a decision is reproducible). A pod
 * that fits nowhere gets Kubernetes' kind of message, each host's first reason counted:
 * {@code 0/3 hosts available: 2 insufficient memory, 1 in maintenance}.
 */
public final class Placement {

  /** What placement decided for one pod. */
  public sealed interface Decision {
    record Chosen(String host) implements Decision {}

    record Unschedulable(String message) implements Decision {}
  }

  private final List<Filter> filters;
  private final List<Score> scores;

  public Placement(List<Filter> filters, List<Score> scores) {
    this.filters = List.copyOf(filters);
    this.scores = List.copyOf(scores);
  }

  /** Pacific's default plugins. */
  public static Placement standard() {
    return new Placement(
        List.of(new HostReady(), new Schedulable(), new NodeSelectorMatches(), new FitsResources(),
            new LabelAntiAffinity()),
        List.of(new Spread(), new LeastAllocated()));
  }

  /** These plugins with one more filter after the others. */
  public Placement withFilter(Filter extra) {
    List<Filter> more = new ArrayList<>(filters);
    more.add(extra);
    return new Placement(more, scores);
  }

  public Decision place(Pod pod, List<HostView> hosts) {
    List<HostView> feasible = new ArrayList<>();
    Map<String, Integer> reasons = new TreeMap<>();
    for (HostView host : hosts) {
      Optional<String> reason = firstRejection(pod, host);
      if (reason.isPresent()) {
        reasons.merge(reason.get(), 1, Integer::sum);
      } else {
        feasible.add(host);
      }
    }
    if (feasible.isEmpty()) {
      return new Decision.Unschedulable(message(hosts.size(), reasons));
    }
    HostView best = feasible.stream()
        .max(Comparator.comparingDouble((HostView h) -> total(pod, h))
            .thenComparing(HostView::name, Comparator.reverseOrder()))
        .orElseThrow();
    return new Decision.Chosen(best.name());
  }

  private Optional<String> firstRejection(Pod pod, HostView host) {
    for (Filter f : filters) {
      Optional<String> reason = f.reject(pod, host);
      if (reason.isPresent()) {
        return reason;
      }
    }
    return Optional.empty();
  }

  private double total(Pod pod, HostView host) {
    return scores.stream().mapToDouble(s -> s.weight() * s.score(pod, host)).sum();
  }

  /** Most frequent reason first, as Kubernetes orders them; equal counts by reason. */
  static String message(int hosts, Map<String, Integer> reasons) {
    String counted = reasons.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .map(e -> e.getValue() + " " + e.getKey())
        .collect(Collectors.joining(", "));
    return "0/" + hosts + " hosts available" + (counted.isEmpty() ? "" : ": " + counted);
  }
}
