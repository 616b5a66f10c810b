package dev.pacific.api.validation;

import dev.pacific.api.ObjectMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** Kubernetes' {@code ValidateObjectMeta} and {@code ValidateObjectMetaUpdate}. */
final class MetaValidation {

  private static final FieldPath META = FieldPath.of("metadata");

  private MetaValidation() {}

  /**
   * @param namespaced whether the kind lives in a namespace (Pod, ResourceQuota) or not (Namespace, Node)
   * @param nameRule the kind's name rule: DNS label or DNS subdomain
   */
  static List<FieldError> validate(ObjectMeta meta, boolean namespaced, Function<String, List<String>> nameRule) {
    List<FieldError> errs = new ArrayList<>();
    if (meta == null) {
      errs.add(FieldError.required(META.child("name"), "name or generateName is required"));
      return errs;
    }
    String generateName = meta.generateName();
    if (generateName != null && !generateName.isEmpty()) {
      nameRule.apply(Names.maskTrailingDash(generateName))
          .forEach(m -> errs.add(FieldError.invalid(META.child("generateName"), generateName, m)));
    }
    if (isEmpty(meta.name())) {
      // The server fills a name from generateName before validating, so only both missing is an error.
      if (isEmpty(generateName)) {
        errs.add(FieldError.required(META.child("name"), "name or generateName is required"));
      }
    } else {
      nameRule.apply(meta.name()).forEach(m -> errs.add(FieldError.invalid(META.child("name"), meta.name(), m)));
    }
    errs.addAll(namespace(meta.namespace(), namespaced));
    if (meta.generation() != null && meta.generation() < 0) {
      errs.add(FieldError.invalid(META.child("generation"), meta.generation(), Numbers.NEGATIVE));
    }
    if (meta.deletionGracePeriodSeconds() != null && meta.deletionGracePeriodSeconds() < 0) {
      errs.add(FieldError.invalid(META.child("deletionGracePeriodSeconds"), meta.deletionGracePeriodSeconds(),
          Numbers.NEGATIVE));
    }
    errs.addAll(Labels.validate(meta.labels(), META.child("labels")));
    errs.addAll(Labels.validateAnnotations(meta.annotations(), META.child("annotations")));
    errs.addAll(finalizers(meta.finalizers(), META.child("finalizers")));
    return errs;
  }

  private static List<FieldError> namespace(String namespace, boolean namespaced) {
    List<FieldError> errs = new ArrayList<>();
    FieldPath path = META.child("namespace");
    if (namespaced && isEmpty(namespace)) {
      errs.add(FieldError.required(path, ""));
    } else if (namespaced) {
      Names.dns1123Label(namespace).forEach(m -> errs.add(FieldError.invalid(path, namespace, m)));
    } else if (!isEmpty(namespace)) {
      errs.add(FieldError.forbidden(path, "not allowed on this type"));
    }
    return errs;
  }

  /** Finalizers are qualified names (Kubernetes accepts a name twice, so Pacific does too). */
  static List<FieldError> finalizers(List<String> finalizers, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    for (String f : finalizers) {
      Labels.qualifiedName(f).forEach(m -> errs.add(FieldError.invalid(path, f, m)));
    }
    return errs;
  }

  /** What never changes once an object exists: name, namespace, uid and creation time. */
  static List<FieldError> validateUpdate(ObjectMeta updated, ObjectMeta old) {
    List<FieldError> errs = new ArrayList<>();
    if (updated == null || old == null) {
      return errs; // a missing metadata is already reported by validate()
    }
    immutable(updated.name(), old.name(), META.child("name"), errs);
    immutable(updated.namespace(), old.namespace(), META.child("namespace"), errs);
    if (!isEmpty(updated.uid())) {
      immutable(updated.uid(), old.uid(), META.child("uid"), errs);
    }
    if (!isEmpty(updated.creationTimestamp())) {
      immutable(updated.creationTimestamp(), old.creationTimestamp(), META.child("creationTimestamp"), errs);
    }
    return errs;
  }

  /** Kubernetes' {@code ValidateImmutableField}. */
  static void immutable(Object updated, Object old, FieldPath path, List<FieldError> errs) {
    if (!Objects.equals(emptyAsNull(updated), emptyAsNull(old))) {
      errs.add(FieldError.invalid(path, updated, "field is immutable"));
    }
  }

  private static Object emptyAsNull(Object o) {
    return o instanceof String s && s.isEmpty() ? null : o;
  }

  static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }
}
