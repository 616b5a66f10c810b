package dev.pacific.api.validation;

import dev.pacific.api.Quantity;
import dev.pacific.api.ResourceList;
import dev.pacific.api.ResourceRequirements;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resource names and amounts: a container's requests and limits, a quota's hard limits, a node's
 * capacity. Rules and words from Kubernetes' core validation ({@code ValidateResourceRequirements},
 * {@code ValidateResourceQuotaResourceName}, {@code ValidateResourceQuantityValue}).
 */
public final class ResourceValidation {

  private static final Set<String> CONTAINER = Set.of("cpu", "memory", "ephemeral-storage");
  private static final Set<String> QUOTA = Set.of(
      "pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps",
      "persistentvolumeclaims", "services.nodeports", "services.loadbalancers", "requests.cpu",
      "requests.memory", "requests.storage", "requests.ephemeral-storage", "limits.cpu", "limits.memory",
      "limits.ephemeral-storage", "cpu", "memory", "ephemeral-storage");
  /** Counted in whole objects, so Kubernetes refuses fractions ({@code pods: 1500m}). */
  private static final Set<String> INTEGER = Set.of(
      "pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps",
      "persistentvolumeclaims", "services.nodeports", "services.loadbalancers");

  private ResourceValidation() {}

  /** {@code resources} of a container: known names, amounts at least 0, each request at most its limit. */
  static List<FieldError> requirements(ResourceRequirements r, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    if (r == null) {
      return errs;
    }
    FieldPath limits = path.child("limits");
    FieldPath requests = path.child("requests");
    r.limits().forEach((name, q) -> {
      containerName(name, limits.key(name), errs);
      quantity(name, q, limits.key(name), errs);
    });
    for (Map.Entry<String, Quantity> e : r.requests().entrySet()) {
      String name = e.getKey();
      Quantity request = e.getValue();
      containerName(name, requests.key(name), errs);
      quantity(name, request, requests.key(name), errs);
      Quantity limit = r.limits().get(name);
      if (limit == null) {
        continue;
      }
      if (isExtended(name) && request.compareTo(limit) != 0) {
        errs.add(FieldError.invalid(requests, request.toString(), "must be equal to " + name + " limit"));
      } else if (request.compareTo(limit) > 0) {
        errs.add(FieldError.invalid(requests, request.toString(), "must be less than or equal to " + name + " limit"));
      }
    }
    return errs;
  }

  /** {@code spec.hard} or {@code status.used} of a quota: quota resource names, amounts at least 0. */
  public static List<FieldError> quota(ResourceList list, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    list.forEach((name, q) -> {
      FieldPath at = path.key(name);
      qualified(name, at, errs);
      if (!name.contains("/") && !isStandardQuota(name)) {
        errs.add(FieldError.invalid(at, name, "must be a standard resource for quota"));
      }
      quantity(name, q, at, errs);
    });
    return errs;
  }

  /** A node's capacity or allocatable: Kubernetes paths these as {@code status.capacity.cpu}. */
  static List<FieldError> nodeResources(ResourceList list, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    list.forEach((name, q) -> quantity(name, q, path.child(name), errs));
    return errs;
  }

  private static void containerName(String name, FieldPath at, List<FieldError> errs) {
    qualified(name, at, errs);
    if (!name.contains("/")) {
      if (!CONTAINER.contains(name) && !name.startsWith("hugepages-")) {
        errs.add(FieldError.invalid(at, name, "must be a standard resource for containers"));
      }
    } else if (!name.contains("kubernetes.io/") && !isExtended(name)) {
      errs.add(FieldError.invalid(at, name, "doesn't follow extended resource name standard"));
    }
  }

  private static void qualified(String name, FieldPath at, List<FieldError> errs) {
    Labels.qualifiedName(name).forEach(m -> errs.add(FieldError.invalid(at, name, m)));
  }

  /** Kubernetes' {@code ValidateResourceQuantityValue}. */
  private static void quantity(String name, Quantity q, FieldPath at, List<FieldError> errs) {
    if (q.signum() < 0) {
      errs.add(FieldError.invalid(at, q.toString(), Numbers.NEGATIVE));
    }
    if (isInteger(name) && q.amount().stripTrailingZeros().scale() > 0) {
      errs.add(FieldError.invalid(at, q.toString(), "must be an integer"));
    }
  }

  private static boolean isStandardQuota(String name) {
    return QUOTA.contains(name) || name.startsWith("count/") || name.startsWith("hugepages-")
        || name.startsWith("requests.hugepages-");
  }

  /** Extended resources ({@code example.com/gpu}) are whole devices: integer, request equal to limit. */
  private static boolean isExtended(String name) {
    return name.contains("/") && !name.contains("kubernetes.io/") && !name.startsWith("requests.");
  }

  private static boolean isInteger(String name) {
    return INTEGER.contains(name) || name.startsWith("count/") || isExtended(name);
  }
}
