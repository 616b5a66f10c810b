package dev.pacific.api.validation;

import java.util.List;

/** Kubernetes' numeric field rules and their messages. */
final class Numbers {

  static final String NEGATIVE = "must be greater than or equal to 0";

  private Numbers() {}

  /** Kubernetes' {@code ValidateNonnegativeField}; absent numbers are fine. */
  static void nonNegative(Number value, FieldPath path, List<FieldError> errs) {
    if (value != null && value.longValue() < 0) {
      errs.add(FieldError.invalid(path, value, NEGATIVE));
    }
  }

  /** Kubernetes' {@code InclusiveRangeError}. */
  static String inclusiveRange(long lo, long hi) {
    return "must be between " + lo + " and " + hi + ", inclusive";
  }

  /** Kubernetes' {@code IsValidPortNum}: 1 to 65535. */
  static void port(int port, FieldPath path, List<FieldError> errs) {
    if (port < 1 || port > 65535) {
      errs.add(FieldError.invalid(path, port, inclusiveRange(1, 65535)));
    }
  }
}
