package dev.pacific.host.runtime;

import java.util.Map;

/**
 * The variables every pod process carries so that it can be found without the JVM that started
 * it: the host's watchdog kills by them when the host dies, and tests scan for them to prove
 * nothing leaked. Children inherit them, so a whole process tree is marked.
 */
public record HostMarkers(String cluster, String host) {

  public static final String CLUSTER = "PACIFIC_CLUSTER";
  public static final String HOST = "PACIFIC_HOST";
  public static final String POD_UID = "PACIFIC_POD_UID";

  public HostMarkers {
    for (String v : new String[] {cluster, host}) {
      if (v == null || v.isBlank() || v.chars().anyMatch(ch -> ch <= ' ' || ch == '=')) {
        throw new IllegalArgumentException("markers are environment values without blanks or '=': '" + v + "'");
      }
    }
  }

  /** The variables of one pod's processes. */
  public Map<String, String> forPod(String podUid) {
    return Map.of(CLUSTER, cluster, HOST, host, POD_UID, podUid);
  }
}
