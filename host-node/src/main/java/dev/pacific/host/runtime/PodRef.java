package dev.pacific.host.runtime;

/**
 * The pod a container belongs to, as the runtime needs it: the uid marks its processes (so strays
 * can be found by it), the address is its own loopback IP ({@code POD_IP}).
 */
public record PodRef(String uid, String namespace, String name, String podIp) {

  public PodRef {
    if (uid == null || uid.isBlank() || uid.contains("/") || uid.contains("..")) {
      throw new IllegalArgumentException("a pod uid names a directory; got '" + uid + "'");
    }
  }
}
