package dev.pacific.host.logs;

import java.nio.file.Path;
import java.util.Optional;

/** What the host knows of its pods' logs; the spherelet answers from its pod agents. */
public interface LogLocator {

  /** The log of the container's current instance, or (previous) of the one before it. */
  Optional<Path> find(String namespace, String pod, String container, boolean previous);

  /** Whether an instance is still writing that file: following ends when it is not. */
  boolean writing(Path logFile);
}
