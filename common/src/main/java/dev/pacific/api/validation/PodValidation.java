package dev.pacific.api.validation;

import dev.pacific.api.Container;
import dev.pacific.api.Pod;
import dev.pacific.api.PodSpec;
import dev.pacific.api.PodStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Kubernetes' {@code ValidatePodCreate} and {@code ValidatePodUpdate}, for the fields Pacific has. */
public final class PodValidation {

  /** Who is updating: only the scheduler binds a pod to a host or moves it. */
  public enum Updater { CLIENT, SCHEDULER }

  private static final FieldPath SPEC = FieldPath.of("spec");
  private static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
  private static final List<String> PHASES = List.of("Pending", "Running", "Succeeded", "Failed", "Unknown");
  private static final String UPDATE_FORBIDDEN = "pod updates may not change fields other than "
      + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
      + "`spec.tolerations` (only additions to existing tolerations),"
      + "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

  private PodValidation() {}

  /** Every problem of a new pod, in Kubernetes' order and words; empty when valid. */
  public static List<FieldError> validate(Pod pod) {
    List<FieldError> errs = new ArrayList<>(MetaValidation.validate(pod.metadata(), true, Names::dns1123Subdomain));
    errs.addAll(spec(pod.spec()));
    errs.addAll(status(pod.status()));
    return errs;
  }

  static List<FieldError> spec(PodSpec spec) {
    List<FieldError> errs = new ArrayList<>();
    if (spec == null) {
      errs.add(FieldError.required(SPEC.child("containers"), ""));
      return errs;
    }
    Set<String> names = new HashSet<>();
    errs.addAll(ContainerValidation.validate(spec.initContainers(), SPEC.child("initContainers"), names, true));
    if (spec.containers().isEmpty()) {
      errs.add(FieldError.required(SPEC.child("containers"), ""));
    }
    errs.addAll(ContainerValidation.validate(spec.containers(), SPEC.child("containers"), names, false));
    if (spec.restartPolicy() != null && !RESTART_POLICIES.contains(spec.restartPolicy())) {
      errs.add(FieldError.notSupported(SPEC.child("restartPolicy"), spec.restartPolicy(), RESTART_POLICIES));
    }
    Numbers.nonNegative(spec.terminationGracePeriodSeconds(), SPEC.child("terminationGracePeriodSeconds"), errs);
    Long deadline = spec.activeDeadlineSeconds();
    if (deadline != null && (deadline < 1 || deadline > Integer.MAX_VALUE)) {
      errs.add(FieldError.invalid(SPEC.child("activeDeadlineSeconds"), deadline,
          Numbers.inclusiveRange(1, Integer.MAX_VALUE)));
    }
    errs.addAll(Labels.validate(spec.nodeSelector(), SPEC.child("nodeSelector")));
    dnsName(spec.nodeName(), SPEC.child("nodeName"), true, errs);
    dnsName(spec.hostname(), SPEC.child("hostname"), false, errs);
    dnsName(spec.schedulerName(), SPEC.child("schedulerName"), true, errs);
    return errs;
  }

  private static void dnsName(String value, FieldPath path, boolean subdomain, List<FieldError> errs) {
    if (value != null && !value.isEmpty()) {
      (subdomain ? Names.dns1123Subdomain(value) : Names.dns1123Label(value))
          .forEach(m -> errs.add(FieldError.invalid(path, value, m)));
    }
  }

  /** A reported status: a known phase and a known status for each condition. */
  public static List<FieldError> status(PodStatus status) {
    List<FieldError> errs = new ArrayList<>();
    if (status == null) {
      return errs;
    }
    FieldPath path = FieldPath.of("status");
    if (status.phase() != null && !PHASES.contains(status.phase())) {
      errs.add(FieldError.notSupported(path.child("phase"), status.phase(), PHASES));
    }
    for (int i = 0; i < status.conditions().size(); i++) {
      PodStatus.PodCondition c = status.conditions().get(i);
      if (c.type() == null || c.type().isEmpty()) {
        errs.add(FieldError.required(path.child("conditions").index(i).child("type"), ""));
      }
      if (!List.of("True", "False", "Unknown").contains(String.valueOf(c.status()))) {
        errs.add(FieldError.notSupported(path.child("conditions").index(i).child("status"), c.status(),
            List.of("False", "True", "Unknown")));
      }
    }
    return errs;
  }

  /**
   * An update: the new pod must be valid, its identity unchanged, its containers the same ones
   * (images may change), and {@code spec.nodeName} changed only by the scheduler.
   */
  public static List<FieldError> validateUpdate(Pod updated, Pod old, Updater updater) {
    List<FieldError> errs = new ArrayList<>(validate(updated));
    errs.addAll(MetaValidation.validateUpdate(updated.metadata(), old.metadata()));
    PodSpec next = updated.spec();
    PodSpec prev = old.spec();
    if (next == null || prev == null) {
      return errs;
    }
    errs.addAll(containerIdentity(next.containers(), prev.containers(), SPEC.child("containers")));
    errs.addAll(containerIdentity(next.initContainers(), prev.initContainers(), SPEC.child("initContainers")));
    if (!Objects.equals(next.nodeName(), prev.nodeName()) && updater != Updater.SCHEDULER) {
      errs.add(FieldError.forbidden(SPEC.child("nodeName"), "may only be changed by the scheduler"));
    }
    if (!mutableFieldsCleared(next, prev).equals(mutableFieldsCleared(prev, prev))) {
      errs.add(FieldError.forbidden(SPEC, UPDATE_FORBIDDEN));
    }
    return errs;
  }

  private static List<FieldError> containerIdentity(List<Container> next, List<Container> prev, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    if (next.size() != prev.size()) {
      errs.add(FieldError.forbidden(path, "pod updates may not add or remove containers"));
      return errs;
    }
    for (int i = 0; i < next.size(); i++) {
      MetaValidation.immutable(next.get(i).name(), prev.get(i).name(), path.index(i).child("name"), errs);
    }
    return errs;
  }

  /**
   * The spec with what an update may change taken from {@code base}: images, the deadline and the
   * binding. Container additions, removals and renames are reported on their own, so they are
   * neutralised here too.
   */
  private static PodSpec mutableFieldsCleared(PodSpec spec, PodSpec base) {
    return new PodSpec(
        sameShape(spec.initContainers(), base.initContainers()),
        sameShape(spec.containers(), base.containers()),
        spec.restartPolicy(), spec.terminationGracePeriodSeconds(), base.activeDeadlineSeconds(),
        spec.nodeSelector(), base.nodeName(), spec.hostname(), spec.schedulerName(), spec.priority());
  }

  private static List<Container> sameShape(List<Container> containers, List<Container> base) {
    if (containers.size() != base.size()) {
      return base;
    }
    List<Container> out = new ArrayList<>();
    for (int i = 0; i < containers.size(); i++) {
      Container c = containers.get(i);
      Container b = base.get(i);
      out.add(new Container(b.name(), b.image(), c.command(), c.args(), c.workingDir(), c.ports(), c.env(),
          c.resources(), c.livenessProbe(), c.readinessProbe(), c.startupProbe(), c.imagePullPolicy()));
    }
    return out;
  }

}
