package dev.pacific.api.validation;

import dev.pacific.api.Namespace;
import dev.pacific.api.Node;
import dev.pacific.api.ResourceQuota;
import java.util.ArrayList;
import java.util.List;

/**
 * The kinds besides Pod: Namespace (a DNS label, cluster-scoped), Node (a DNS subdomain,
 * cluster-scoped, non-negative capacity) and ResourceQuota (namespaced, quota resource names).
 */
public final class ClusterValidation {

  private static final List<String> STANDARD_FINALIZERS = List.of("kubernetes", "orphan", "foregroundDeletion");

  private ClusterValidation() {}

  public static List<FieldError> namespace(Namespace ns) {
    List<FieldError> errs = new ArrayList<>(MetaValidation.validate(ns.metadata(), false, Names::dns1123Label));
    if (ns.spec() != null) {
      FieldPath path = FieldPath.of("spec", "finalizers");
      errs.addAll(MetaValidation.finalizers(ns.spec().finalizers(), path));
      for (String f : ns.spec().finalizers()) {
        // Kubernetes' validateKubeFinalizerName: an unprefixed name must be one it knows.
        if (!f.contains("/") && !STANDARD_FINALIZERS.contains(f)) {
          errs.add(FieldError.invalid(path, f, "name is neither a standard finalizer name nor is it fully qualified"));
        }
      }
    }
    if (ns.status() != null && ns.status().phase() != null
        && !List.of("Active", "Terminating").contains(ns.status().phase())) {
      errs.add(FieldError.notSupported(FieldPath.of("status", "phase"), ns.status().phase(),
          List.of("Active", "Terminating")));
    }
    return errs;
  }

  public static List<FieldError> namespaceUpdate(Namespace updated, Namespace old) {
    List<FieldError> errs = namespace(updated);
    errs.addAll(MetaValidation.validateUpdate(updated.metadata(), old.metadata()));
    return errs;
  }

  public static List<FieldError> node(Node node) {
    List<FieldError> errs = new ArrayList<>(MetaValidation.validate(node.metadata(), false, Names::dns1123Subdomain));
    if (node.status() != null) {
      errs.addAll(ResourceValidation.nodeResources(node.status().capacity(), FieldPath.of("status", "capacity")));
      errs.addAll(ResourceValidation.nodeResources(node.status().allocatable(), FieldPath.of("status", "allocatable")));
    }
    return errs;
  }

  public static List<FieldError> nodeUpdate(Node updated, Node old) {
    List<FieldError> errs = node(updated);
    errs.addAll(MetaValidation.validateUpdate(updated.metadata(), old.metadata()));
    return errs;
  }

  public static List<FieldError> resourceQuota(ResourceQuota quota) {
    List<FieldError> errs = new ArrayList<>(
        MetaValidation.validate(quota.metadata(), true, Names::dns1123Subdomain));
    if (quota.spec() != null) {
      errs.addAll(ResourceValidation.quota(quota.spec().hard(), FieldPath.of("spec", "hard")));
    }
    if (quota.status() != null) {
      errs.addAll(ResourceValidation.quota(quota.status().hard(), FieldPath.of("status", "hard")));
      errs.addAll(ResourceValidation.quota(quota.status().used(), FieldPath.of("status", "used")));
    }
    return errs;
  }

  public static List<FieldError> resourceQuotaUpdate(ResourceQuota updated, ResourceQuota old) {
    List<FieldError> errs = resourceQuota(updated);
    errs.addAll(MetaValidation.validateUpdate(updated.metadata(), old.metadata()));
    return errs;
  }
}
