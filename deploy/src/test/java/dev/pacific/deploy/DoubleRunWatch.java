package dev.pacific.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Samples a cluster's pod processes every few hundred milliseconds for the whole life of a test
 * class and records every moment a pod ran twice: two live processes with one pod uid (every test
 * pod is one process), on two hosts or on one. A process seen in one pass over {@code /proc} may
 * have ended before the next was read, so a suspect pair counts only if both still run once the
 * pass is over.
 */
final class DoubleRunWatch implements AutoCloseable {

  private final PodProcesses processes;
  private final Function<String, String> names;
  private final List<String> violations = new ArrayList<>();
  private final Thread sampler;
  private volatile boolean running = true;
  private long samples;

  /** {@code names}: a pod's name from its uid, for the messages. */
  DoubleRunWatch(PodProcesses processes, Function<String, String> names, long everyMillis) {
    this.processes = processes;
    this.names = names;
    this.sampler = new Thread(() -> {
      while (running) {
        sample();
        try {
          Thread.sleep(everyMillis);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "double-run-watch");
    sampler.setDaemon(true);
    sampler.start();
  }

  private void sample() {
    long at = System.currentTimeMillis();
    for (Map.Entry<String, List<PodProcesses.Seen>> pod : processes.byPod().entrySet()) {
      List<PodProcesses.Seen> copies = pod.getValue();
      if (copies.size() > 1 && copies.stream().filter(processes::stillRunning).count() > 1) {
        String what = String.format("%tT.%<tL pod %s (uid %s) runs %d times: %s", at, names.apply(pod.getKey()),
            pod.getKey(), copies.size(), copies);
        synchronized (this) {
          violations.add(what);
        }
        System.out.println("HostsIT: DOUBLE RUN " + what);
      }
    }
    synchronized (this) {
      samples++;
    }
  }

  synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  synchronized long samples() {
    return samples;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    sampler.interrupt();
    sampler.join(5_000);
  }
}
