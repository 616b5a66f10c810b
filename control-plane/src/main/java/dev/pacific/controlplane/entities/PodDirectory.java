package dev.pacific.controlplane.entities;

import dev.pacific.api.Pod;
import dev.pacific.controlplane.persistence.ObjectRef;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What the namespace and host entities need of pods, which they do not own: the pods the registry
 * holds now (a linearizable read, so a reconcile never counts from a stale cache), and a way to ask
 * a pod to delete itself. Injected, so the entities can be tested against a directory they control.
 */
public interface PodDirectory {

  /** Every pod in {@code namespace}, terminating ones included. */
  CompletionStage<List<Pod>> inNamespace(String namespace);

  /** Every pod bound to {@code node} ({@code spec.nodeName}), terminating ones included. */
  CompletionStage<List<Pod>> onNode(String node);

  /** Asks the pod to delete itself gracefully (its own grace period); completes once it was asked. */
  CompletionStage<Void> delete(ObjectRef pod);
}
