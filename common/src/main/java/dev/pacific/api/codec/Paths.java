package dev.pacific.api.codec;

/** Kubernetes' field path spelling: {@code spec.containers[0].resources.limits[cpu]}. */
final class Paths {

  private Paths() {}

  static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  static String index(String path, int i) {
    return path + "[" + i + "]";
  }

  static String key(String path, String key) {
    return path + "[" + key + "]";
  }
}
