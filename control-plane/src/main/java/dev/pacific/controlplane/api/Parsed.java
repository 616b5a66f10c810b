package dev.pacific.controlplane.api;

import dev.pacific.api.Status;
import java.util.List;
import java.util.function.Function;

/**
 * A query parameter, selector or token read from a request: the value, or the 400 Status naming
 * what was wrong with it. Errors a client causes travel as values, never as exceptions.
 */
sealed interface Parsed<T> {

  record Ok<T>(T value) implements Parsed<T> {}

  record Bad<T>(Status status) implements Parsed<T> {}

  static <T> Parsed<T> ok(T value) {
    return new Ok<>(value);
  }

  /** 400 BadRequest whose message and single cause name the parameter at fault. */
  static <T> Parsed<T> bad(String parameter, String message) {
    return new Bad<>(badParameter(parameter, message));
  }

  static Status badParameter(String parameter, String message) {
    return Status.failure(400, "BadRequest", parameter + ": " + message,
        new Status.Details(null, null, null, List.of(new Status.Cause("FieldValueInvalid", message, parameter)),
            null));
  }

  /** Java 17 has no pattern switch: one function per case. */
  default <R> R fold(Function<Status, R> onBad, Function<T, R> onOk) {
    return this instanceof Ok<T> ok ? onOk.apply(ok.value()) : onBad.apply(((Bad<T>) this).status());
  }

  default <U> Parsed<U> map(Function<T, U> f) {
    return flatMap(v -> ok(f.apply(v)));
  }

  @SuppressWarnings("unchecked")
  default <U> Parsed<U> flatMap(Function<T, Parsed<U>> f) {
    if (this instanceof Ok<T> ok) {
      return f.apply(ok.value());
    }
    return (Parsed<U>) this;
  }
}
