package dev.pacific.api.codec;

import java.util.Optional;

/**
 * Kubernetes' {@code ?fieldValidation=}: what to do with fields the schema does not know and with
 * fields given twice. Kubernetes' default for a request without the parameter is {@link #WARN}.
 */
public enum FieldValidation {
  /** Fail the request (400) naming every unknown or duplicate field. */
  STRICT,
  /** Drop the field and report it as a warning ({@code Warning} header). */
  WARN,
  /** Drop the field silently. */
  IGNORE;

  /**
   * The query parameter's value as Kubernetes spells it ({@code Strict}, {@code Warn},
   * {@code Ignore}); absent or empty means {@link #WARN}; anything else is empty.
   */
  public static Optional<FieldValidation> fromQuery(String value) {
    if (value == null || value.isEmpty()) {
      return Optional.of(WARN);
    }
    return switch (value) {
      case "Strict" -> Optional.of(STRICT);
      case "Warn" -> Optional.of(WARN);
      case "Ignore" -> Optional.of(IGNORE);
      default -> Optional.empty();
    };
  }
}
