package dev.pacific.api.codec;

import dev.pacific.api.Container;
import dev.pacific.api.Node;
import dev.pacific.api.ObjectMeta;
import dev.pacific.api.PodSpec;
import dev.pacific.api.PodStatus;
import dev.pacific.api.Probe;
import dev.pacific.api.ResourceQuota;
import dev.pacific.api.ResourceRequirements;
import java.util.Map;
import java.util.Set;

/**
 * Fields of Kubernetes' v1 schema that Pacific does not model. They are not unknown — Kubernetes
 * accepts them, and kubectl sends some on its own ({@code kubectl run} writes
 * {@code spec.dnsPolicy}, and kubectl defaults to {@code fieldValidation=Strict}) — so they never
 * fail a strict decode: they are dropped with a warning saying Pacific ignores them.
 */
final class Unsupported {

  private static final Map<Class<?>, Set<String>> FIELDS = Map.ofEntries(
      Map.entry(ObjectMeta.class, Set.of("ownerReferences", "managedFields", "selfLink")),
      Map.entry(PodSpec.class, Set.of("volumes", "dnsPolicy", "dnsConfig", "serviceAccountName", "serviceAccount",
          "automountServiceAccountToken", "securityContext", "imagePullSecrets", "affinity", "tolerations",
          "hostNetwork", "hostPID", "hostIPC", "shareProcessNamespace", "priorityClassName", "preemptionPolicy",
          "runtimeClassName", "enableServiceLinks", "topologySpreadConstraints", "hostAliases", "subdomain",
          "readinessGates", "overhead", "os", "setHostnameAsFQDN", "ephemeralContainers", "resourceClaims",
          "schedulingGates", "hostUsers", "resources")),
      Map.entry(Container.class, Set.of("volumeMounts", "volumeDevices", "envFrom", "lifecycle",
          "terminationMessagePath", "terminationMessagePolicy", "securityContext", "stdin", "stdinOnce", "tty", "resizePolicy",
          "restartPolicy")),
      Map.entry(Container.EnvVar.class, Set.of("valueFrom")),
      Map.entry(Probe.class, Set.of("grpc")),
      Map.entry(ResourceRequirements.class, Set.of("claims")),
      Map.entry(PodStatus.class, Set.of("podIPs", "hostIPs", "qosClass", "initContainerStatuses",
          "ephemeralContainerStatuses", "nominatedNodeName", "resize", "resourceClaimStatuses", "observedGeneration")),
      Map.entry(PodStatus.ContainerStatus.class, Set.of("allocatedResources", "resources", "volumeMounts", "user",
          "allocatedResourcesStatus", "stopSignal")),
      Map.entry(Node.Spec.class, Set.of("podCIDR", "podCIDRs", "providerID", "taints", "configSource", "externalID")),
      Map.entry(Node.Status.class, Set.of("nodeInfo", "images", "volumesInUse", "volumesAttached", "phase", "config",
          "runtimeHandlers", "features")),
      Map.entry(ResourceQuota.Spec.class, Set.of("scopes", "scopeSelector")));

  private Unsupported() {}

  static boolean isKubernetesField(Class<?> type, String field) {
    return FIELDS.getOrDefault(type, Set.of()).contains(field);
  }
}
