package dev.pacific.host.logs;

/**
 * Kubernetes' PodLogOptions as the host serves them: {@code tailLines} keeps only the last lines,
 * then {@code limitBytes} caps what is returned from there; {@code previous} reads the instance
 * before the current one; {@code follow} keeps streaming what the instance writes. Null means
 * "not given".
 */
public record LogQuery(Integer tailLines, Long limitBytes, boolean previous, boolean follow) {

  public LogQuery {
    if (tailLines != null && tailLines < 0) {
      throw new IllegalArgumentException("tailLines must not be negative: " + tailLines);
    }
    if (limitBytes != null && limitBytes < 1) {
      throw new IllegalArgumentException("limitBytes must be at least 1: " + limitBytes);
    }
  }

  public static LogQuery all() {
    return new LogQuery(null, null, false, false);
  }
}
