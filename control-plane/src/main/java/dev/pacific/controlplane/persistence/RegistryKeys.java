package dev.pacific.controlplane.persistence;

import java.nio.charset.StandardCharsets;

/**
 * Where objects live in the quorum: {@code registry/<resource>/<namespace>/<name>} for namespaced
 * kinds, {@code registry/<resource>/<name>} for cluster-scoped ones. Pekko persistence ids are
 * {@code <resource>|<entityId>} (Pekko's {@code PersistenceId.of(typeName, entityId)}, with the
 * entity type named after the resource), so a persistence id maps straight onto a key.
 */
public final class RegistryKeys {

  public static final String ROOT = "registry/";
  private static final String SEPARATOR = "|";

  private RegistryKeys() {}

  public static byte[] key(ObjectRef ref) {
    return bytes(ROOT + ref.kind().resource() + "/" + ref.entityId());
  }

  /** Every object of {@code kind}. */
  public static byte[] prefix(ResourceKind kind) {
    return bytes(ROOT + kind.resource() + "/");
  }

  /** Every object of a namespaced {@code kind} in {@code namespace}. */
  public static byte[] prefix(ResourceKind kind, String namespace) {
    if (!kind.namespaced()) {
      throw new IllegalArgumentException(kind.resource() + " are cluster-scoped");
    }
    return bytes(ROOT + kind.resource() + "/" + namespace + "/");
  }

  public static ObjectRef ofKey(byte[] key) {
    String text = new String(key, StandardCharsets.UTF_8);
    if (!text.startsWith(ROOT)) {
      throw new IllegalArgumentException("not a registry key: " + text);
    }
    String rest = text.substring(ROOT.length());
    int slash = rest.indexOf('/');
    ResourceKind kind = ResourceKind.ofResource(rest.substring(0, Math.max(slash, 0)))
        .orElseThrow(() -> new IllegalArgumentException("unknown kind in key: " + text));
    return ObjectRef.ofEntityId(kind, rest.substring(slash + 1));
  }

  public static String persistenceId(ObjectRef ref) {
    return ref.kind().resource() + SEPARATOR + ref.entityId();
  }

  public static ObjectRef ofPersistenceId(String persistenceId) {
    int bar = persistenceId.indexOf(SEPARATOR);
    if (bar < 0) {
      throw new IllegalArgumentException("not a registry persistence id: " + persistenceId);
    }
    ResourceKind kind = ResourceKind.ofResource(persistenceId.substring(0, bar))
        .orElseThrow(() -> new IllegalArgumentException("unknown kind in persistence id: " + persistenceId));
    return ObjectRef.ofEntityId(kind, persistenceId.substring(bar + 1));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
