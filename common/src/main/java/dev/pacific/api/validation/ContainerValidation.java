package dev.pacific.api.validation;

import dev.pacific.api.Container;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Kubernetes' {@code validateContainers}: names, images, ports, environment, resources and probes. */
final class ContainerValidation {

  private static final String ENV_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*";
  private static final Pattern ENV = Pattern.compile(ENV_FMT);
  private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
  private static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");

  private ContainerValidation() {}

  /**
   * @param names container names seen so far in the pod: init and regular containers share one
   *     namespace, so a clash between them is a duplicate too
   * @param init init containers run to completion, so probes make no sense on them
   */
  static List<FieldError> validate(List<Container> containers, FieldPath path, Set<String> names, boolean init) {
    List<FieldError> errs = new ArrayList<>();
    for (int i = 0; i < containers.size(); i++) {
      Container c = containers.get(i);
      FieldPath at = path.index(i);
      name(c.name(), at.child("name"), names, errs);
      image(c.image(), at.child("image"), errs);
      ports(c.ports(), at.child("ports"), errs);
      env(c.env(), at.child("env"), errs);
      errs.addAll(ResourceValidation.requirements(c.resources(), at.child("resources")));
      probes(c, at, init, errs);
      if (c.imagePullPolicy() != null && !PULL_POLICIES.contains(c.imagePullPolicy())) {
        errs.add(FieldError.notSupported(at.child("imagePullPolicy"), c.imagePullPolicy(), PULL_POLICIES));
      }
    }
    return errs;
  }

  private static void name(String name, FieldPath path, Set<String> names, List<FieldError> errs) {
    if (name == null || name.isEmpty()) {
      errs.add(FieldError.required(path, ""));
      return;
    }
    List<String> msgs = Names.dns1123Label(name);
    msgs.forEach(m -> errs.add(FieldError.invalid(path, name, m)));
    if (msgs.isEmpty() && !names.add(name)) {
      errs.add(FieldError.duplicate(path, name));
    }
  }

  private static void image(String image, FieldPath path, List<FieldError> errs) {
    if (image == null || image.isEmpty()) {
      errs.add(FieldError.required(path, ""));
    } else if (!image.equals(image.strip())) {
      errs.add(FieldError.invalid(path, image, "must not have leading or trailing whitespace"));
    }
  }

  private static void ports(List<Container.ContainerPort> ports, FieldPath path, List<FieldError> errs) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      Container.ContainerPort p = ports.get(i);
      FieldPath at = path.index(i);
      if (p.name() != null && !p.name().isEmpty()) {
        List<String> msgs = PortNames.validate(p.name());
        msgs.forEach(m -> errs.add(FieldError.invalid(at.child("name"), p.name(), m)));
        if (msgs.isEmpty() && !names.add(p.name())) {
          errs.add(FieldError.duplicate(at.child("name"), p.name()));
        }
      }
      if (p.containerPort() == null || p.containerPort() == 0) {
        errs.add(FieldError.required(at.child("containerPort"), ""));
      } else {
        Numbers.port(p.containerPort(), at.child("containerPort"), errs);
      }
      if (p.hostPort() != null && p.hostPort() != 0) {
        Numbers.port(p.hostPort(), at.child("hostPort"), errs);
      }
      // An absent protocol is defaulted to TCP by Kubernetes before validation.
      if (p.protocol() != null && !PROTOCOLS.contains(p.protocol())) {
        errs.add(FieldError.notSupported(at.child("protocol"), p.protocol(), PROTOCOLS));
      }
    }
  }

  private static void env(List<Container.EnvVar> env, FieldPath path, List<FieldError> errs) {
    for (int i = 0; i < env.size(); i++) {
      String name = env.get(i).name();
      FieldPath at = path.index(i).child("name");
      if (name == null || name.isEmpty()) {
        errs.add(FieldError.required(at, ""));
        continue;
      }
      if (!ENV.matcher(name).matches()) {
        errs.add(FieldError.invalid(at, name, Names.regexError(
            "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', "
                + "and must not start with a digit", ENV_FMT, "my.env-name", "MY_ENV.NAME", "MyEnvName1")));
      }
      if (name.equals(".") || name.equals("..") || name.startsWith("..")) {
        errs.add(FieldError.invalid(at, name, name.equals(".") ? "must not be '.'"
            : name.equals("..") ? "must not be '..'" : "must not start with '..'"));
      }
    }
  }

  private static void probes(Container c, FieldPath at, boolean init, List<FieldError> errs) {
    if (init) {
      for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
        boolean set = switch (probe) {
          case "livenessProbe" -> c.livenessProbe() != null;
          case "readinessProbe" -> c.readinessProbe() != null;
          default -> c.startupProbe() != null;
        };
        if (set) {
          errs.add(FieldError.forbidden(at.child(probe), "may not be set for init containers"));
        }
      }
      return;
    }
    errs.addAll(ProbeValidation.validate(c.livenessProbe(), at.child("livenessProbe"), true));
    errs.addAll(ProbeValidation.validate(c.readinessProbe(), at.child("readinessProbe"), false));
    errs.addAll(ProbeValidation.validate(c.startupProbe(), at.child("startupProbe"), true));
  }
}
