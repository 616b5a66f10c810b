package dev.pacific.controlplane.api;

import java.util.Optional;

/**
 * Whether this control-plane member can serve: {@code /readyz} answers 200 only when it can.
 * Until the quorum exists, ready means "sees a majority of the control-plane members Up";
 * once it does, ready means "sees a quorum leader".
 */
@FunctionalInterface
public interface Readiness {

  /** Empty when ready; otherwise why not, in words for an operator. */
  Optional<String> notReadyBecause();
}
