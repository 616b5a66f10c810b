package dev.pacific.api.codec;

import dev.pacific.api.Status;
import java.util.List;
import java.util.function.Function;

/**
 * The outcome of decoding a body: the object and any warnings (unknown fields under
 * {@code fieldValidation=Warn}), or a failure that already knows its HTTP status. Decoding never
 * throws for anything a client sent.
 */
public record Decoded<T>(T value, List<String> warnings, Failure failure) {

  public Decoded {
    warnings = List.copyOf(warnings);
  }

  static <T> Decoded<T> of(T value, List<String> warnings) {
    return new Decoded<>(value, warnings, null);
  }

  static <T> Decoded<T> failed(Failure failure, List<String> warnings) {
    return new Decoded<>(null, warnings, failure);
  }

  public boolean ok() {
    return failure == null;
  }

  public <U> Decoded<U> map(Function<T, U> f) {
    return ok() ? of(f.apply(value), warnings) : failed(failure, warnings);
  }

  /** Why a body was refused: 400 malformed or 413 too large, with one problem per field. */
  public record Failure(int code, String reason, String message, List<Problem> problems) {

    public Failure {
      problems = List.copyOf(problems);
    }

    /** Kubernetes' {@code Status} for this failure, a cause per problem. */
    public Status toStatus() {
      List<Status.Cause> causes = problems.stream().map(Problem::toCause).toList();
      return Status.failure(code, reason, message,
          causes.isEmpty() ? null : new Status.Details(null, null, null, causes, null));
    }
  }
}
