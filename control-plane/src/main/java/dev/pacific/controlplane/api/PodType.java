package dev.pacific.controlplane.api;

import dev.pacific.api.ListMeta;
import dev.pacific.api.ObjectMeta;
import dev.pacific.api.Pod;
import dev.pacific.api.PodList;
import dev.pacific.api.PodSpec;
import dev.pacific.api.PodStatus;
import dev.pacific.api.defaulting.Defaults;
import dev.pacific.controlplane.persistence.ResourceKind;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Pods: Kubernetes' pod strategy for what the REST layer does (a new pod is Pending; updates keep status). */
final class PodType implements ResourceType<Pod> {

  static final PodType INSTANCE = new PodType();

  /** The pod fields Kubernetes lets a field selector name that Pacific's pods have (pkg/registry/core/pod). */
  private static final Map<String, Function<Pod, String>> FIELDS = Map.of(
      "spec.nodeName", p -> spec(p, PodSpec::nodeName),
      "spec.restartPolicy", p -> spec(p, PodSpec::restartPolicy),
      "spec.schedulerName", p -> spec(p, PodSpec::schedulerName),
      "status.phase", p -> status(p, PodStatus::phase),
      "status.podIP", p -> status(p, PodStatus::podIP));

  private PodType() {}

  @Override
  public ResourceKind kind() {
    return ResourceKind.PODS;
  }

  @Override
  public Class<Pod> type() {
    return Pod.class;
  }

  @Override
  public ObjectMeta metadata(Pod pod) {
    return ResourceType.orEmpty(pod.metadata());
  }

  @Override
  public Pod withMetadata(Pod pod, ObjectMeta metadata) {
    return pod.withMetadata(metadata);
  }

  @Override
  public Pod typed(Pod pod) {
    return new Pod("v1", "Pod", pod.metadata(), pod.spec(), pod.status());
  }

  @Override
  public Pod withStatusOf(Pod pod, Pod source) {
    return pod.withStatus(source.status());
  }

  @Override
  public Pod defaulted(Pod pod) {
    return Defaults.pod(pod);
  }

  @Override
  public Pod preparedForCreate(Pod pod) {
    return pod.withStatus(PodStatus.phase("Pending"));
  }

  @Override
  public Map<String, Function<Pod, String>> selectableFields() {
    return FIELDS;
  }

  @Override
  public Object list(ListMeta metadata, List<Pod> items) {
    return new PodList(metadata, items);
  }

  private static String spec(Pod pod, Function<PodSpec, String> field) {
    return pod.spec() == null ? null : field.apply(pod.spec());
  }

  private static String status(Pod pod, Function<PodStatus, String> field) {
    return pod.status() == null ? null : field.apply(pod.status());
  }
}
