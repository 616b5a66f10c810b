package dev.pacific.controlplane.quorum.store;

/**
 * The quorum's storage cannot be used as it is: an unreadable or corrupt data
 * directory, or a failed write. The message names the directory and says what
 * an operator can do; a member that gets one must not start (a member that
 * lost or garbled its log could vote twice in one term).
 */
public final class StoreException extends RuntimeException {

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
