package dev.pacific.controlplane.api;

import dev.pacific.api.Status;
import dev.pacific.controlplane.persistence.RegistryReader;
import dev.pacific.controlplane.quorum.QuorumClient.QuorumUnavailable;
import dev.pacific.controlplane.quorum.QuorumKv;
import dev.pacific.controlplane.quorum.store.KvResult;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * The Status for a failed read or write of the registry. None of these is the client's doing: no
 * quorum is 503 (as Kubernetes answers when etcd is unreachable), a write that did not answer in
 * time 504 (it may still apply, as Kubernetes' Timeout says), history gone 410. Anything else is
 * a bug and goes to the exception handler (500, logged).
 */
final class Failures {

  private Failures() {}

  static Status status(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof QuorumUnavailable) {
      return Status.failure(503, "ServiceUnavailable", cause.getMessage());
    }
    if (cause instanceof TimeoutException || cause.getClass().getSimpleName().equals("AskTimeoutException")) {
      return Status.failure(504, "Timeout", "the request did not complete in time and may still take effect: "
          + cause.getMessage());
    }
    if (cause instanceof QuorumKv.Refused refused && refused.reason() == KvResult.Reason.COMPACTED) {
      return expired(refused.getMessage());
    }
    if (cause instanceof RegistryReader.Undecodable undecodable) {
      return Status.failure(500, "InternalError", undecodable.getMessage());
    }
    throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
  }

  /** Kubernetes' 410 for history that is gone: reason Expired, list again. */
  static Status expired(String message) {
    return Status.failure(410, "Expired", message);
  }

  static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** Whether {@code type} is anywhere in the cause chain: stream failures wrap theirs (IOOperationIncompleteException, …). */
  static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
