package dev.pacific.api.codec;

import java.util.Locale;
import java.util.Optional;

/** The two body encodings the API speaks: JSON by default, YAML when asked for. */
public enum MediaFormat {
  JSON("application/json"),
  YAML("application/yaml");

  private final String contentType;

  MediaFormat(String contentType) {
    this.contentType = contentType;
  }

  public String contentType() {
    return contentType;
  }

  /**
   * From a {@code Content-Type} header: {@code application/json} (also with parameters, and
   * {@code application/merge-patch+json}-style suffixes are not bodies we decode here) or
   * {@code application/yaml} ({@code application/x-yaml} and {@code text/yaml} too). A missing
   * header means JSON; anything else is empty so the caller can answer 415.
   */
  public static Optional<MediaFormat> fromContentType(String header) {
    if (header == null || header.isBlank()) {
      return Optional.of(JSON);
    }
    String type = header.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return switch (type) {
      case "application/json", "*/*" -> Optional.of(JSON);
      case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml" -> Optional.of(YAML);
      default -> Optional.empty();
    };
  }

  /**
   * From an {@code Accept} header: the first listed type we can write ({@code application/json},
   * {@code application/yaml} and their aliases, or a wildcard meaning JSON). Missing means JSON;
   * empty when nothing listed can be written, so the caller can answer 406.
   */
  public static Optional<MediaFormat> fromAccept(String header) {
    if (header == null || header.isBlank()) {
      return Optional.of(JSON);
    }
    for (String part : header.split(",")) {
      String type = part.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
      if (type.equals("application/*")) {
        return Optional.of(JSON);
      }
      Optional<MediaFormat> format = fromContentType(type);
      if (format.isPresent()) {
        return format;
      }
    }
    return Optional.empty();
  }
}
