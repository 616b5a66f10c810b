package dev.pacific.host.spherelet;

import com.typesafe.config.Config;
import dev.pacific.api.Quantity;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Typed view of {@code pacific.host}: what this host offers to pods. {@code auto} takes the
 * figure from the machine, as a kubelet does.
 */
public record HostSettings(String cpu, String memory, int maxPods, String runtime, Map<String, String> labels) {

  public static HostSettings fromConfig(Config config) {
    Config c = config.getConfig("pacific.host");
    String cpu = c.getString("cpu");
    String memory = c.getString("memory");
    Map<String, String> labels = new LinkedHashMap<>();
    c.getConfig("labels").entrySet().forEach(e -> labels.put(e.getKey(), String.valueOf(e.getValue().unwrapped())));
    int maxPods = c.getInt("max-pods");
    if (maxPods < 0) {
      throw new IllegalArgumentException("pacific.host.max-pods must not be negative: " + maxPods);
    }
    return new HostSettings(
        "auto".equals(cpu) ? String.valueOf(Runtime.getRuntime().availableProcessors()) : quantity("cpu", cpu),
        "auto".equals(memory) ? machineMemoryKi() + "Ki" : quantity("memory", memory),
        maxPods,
        c.getString("runtime"),
        labels);
  }

  /** A capacity the user gave must be a non-negative Kubernetes quantity; say so at start, not on every Node read. */
  private static String quantity(String key, String text) {
    Quantity q = Quantity.tryParse(text).orElseThrow(() -> new IllegalArgumentException(
        "pacific.host." + key + " is not a Kubernetes quantity (like 4, 3500m, 8Gi): '" + text + "'"));
    if (q.signum() < 0) {
      throw new IllegalArgumentException("pacific.host." + key + " must not be negative: '" + text + "'");
    }
    return q.toString();
  }

  /** The Node's {@code status.capacity}, in Kubernetes' keys. */
  public Map<String, String> capacity() {
    return Map.of("cpu", cpu, "memory", memory, "pods", String.valueOf(maxPods));
  }

  private static long machineMemoryKi() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getTotalMemorySize() / 1024;
    }
    return Runtime.getRuntime().maxMemory() / 1024;
  }
}
