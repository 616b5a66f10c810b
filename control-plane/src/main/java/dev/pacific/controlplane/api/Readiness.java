package dev.pacific.controlplane.api;

import java.util.Optional;

/**
 * Whether this control-plane member can serve: {@code /readyz} answers 200 only when it can,
 * that is when it sees a quorum leader ({@link QuorumReadiness}).
 */
@FunctionalInterface
public interface Readiness {

  /** Empty when ready; otherwise why not, in words for an operator. */
  Optional<String> notReadyBecause();
}
