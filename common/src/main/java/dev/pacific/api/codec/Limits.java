package dev.pacific.api.codec;

/**
 * How much a request body may make the decoder hold, so a hostile body cannot exhaust memory.
 *
 * @param maxBytes the whole body; Kubernetes' API server refuses more than 3 MiB
 * @param maxDepth nesting of objects and arrays; a pod is about ten deep
 * @param maxNameLength one field name; label and annotation keys are at most 317 characters
 * @param maxNumberLength digits in one number; int64 needs 20
 * @param maxYamlAliasNodes nodes all YAML aliases of a body may stand for, against "billion laughs"
 */
public record Limits(int maxBytes, int maxDepth, int maxNameLength, int maxNumberLength, long maxYamlAliasNodes) {

  public static final Limits STANDARD = new Limits(3 * 1024 * 1024, 64, 4096, 64, 10_000);

  public Limits {
    if (maxBytes <= 0 || maxDepth <= 0 || maxNameLength <= 0 || maxNumberLength <= 0 || maxYamlAliasNodes < 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }
}
