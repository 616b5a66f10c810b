package dev.pacific.controlplane.quorum.store;

import java.util.List;

/**
 * Told of every change the store applies, after it is durable: what a member publishes to its
 * local watchers. Called on the applying thread (the member actor), so it must not block.
 */
public interface ChangeListener {

  ChangeListener NONE = new ChangeListener() {
    @Override public void applied(List<Change> changes) {
    }

    @Override public void restored(long revision) {
    }
  };

  /** The changes of one applied batch, in revision order; never empty. */
  void applied(List<Change> changes);

  /** A snapshot replaced the whole state: changes up to {@code revision} were never published here. */
  void restored(long revision);
}
