package dev.pacific.api.codec;

/**
 * How much a request body may make the decoder hold, so a hostile body cannot exhaust memory.
 *
 * @param maxBytes the whole body; Kubernetes' API server refuses more than 3 MiB
 * @param maxDepth nesting of objects and arrays; a pod is about ten deep
 * @param maxNameLength one field name; label and annotation keys are at most 317 characters
 * @param maxNumberLength digits in one number; int64 needs 20
 * @param maxYamlAliases YAML anchors referenced, against "billion laughs" bodies
 */
public record Limits(int maxBytes, int maxDepth, int maxNameLength, int maxNumberLength, int maxYamlAliases) {

  public static final Limits STANDARD = new Limits(3 * 1024 * 1024, 64, 4096, 64, 50);

  public Limits {
    if (maxBytes <= 0 || maxDepth <= 0 || maxNameLength <= 0 || maxNumberLength <= 0 || maxYamlAliases < 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }
}
