package dev.pacific.api.validation;

import dev.pacific.api.IntOrString;
import dev.pacific.api.Probe;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Kubernetes' {@code validateProbe} and {@code validateHandler}: one handler, sane numbers, valid ports. */
final class ProbeValidation {

  private static final String HEADER_FMT = "[-A-Za-z0-9]+";
  private static final Pattern HEADER = Pattern.compile(HEADER_FMT);

  private ProbeValidation() {}

  /**
   * @param singleSuccess liveness and startup probes must have {@code successThreshold} 1
   */
  static List<FieldError> validate(Probe probe, FieldPath path, boolean singleSuccess) {
    List<FieldError> errs = new ArrayList<>();
    if (probe == null) {
      return errs;
    }
    handler(probe, path, errs);
    Numbers.nonNegative(probe.initialDelaySeconds(), path.child("initialDelaySeconds"), errs);
    Numbers.nonNegative(probe.timeoutSeconds(), path.child("timeoutSeconds"), errs);
    Numbers.nonNegative(probe.periodSeconds(), path.child("periodSeconds"), errs);
    Numbers.nonNegative(probe.successThreshold(), path.child("successThreshold"), errs);
    Numbers.nonNegative(probe.failureThreshold(), path.child("failureThreshold"), errs);
    if (singleSuccess && probe.successThreshold() != null && probe.successThreshold() != 1) {
      errs.add(FieldError.invalid(path.child("successThreshold"), probe.successThreshold(), "must be 1"));
    }
    Long grace = probe.terminationGracePeriodSeconds();
    if (grace != null && grace <= 0) {
      errs.add(FieldError.invalid(path.child("terminationGracePeriodSeconds"), grace, "must be greater than 0"));
    }
    return errs;
  }

  /** The first handler is validated; each further one is Forbidden at its own path. */
  private static void handler(Probe probe, FieldPath path, List<FieldError> errs) {
    int handlers = 0;
    if (probe.exec() != null) {
      handlers++;
      if (probe.exec().command().isEmpty()) {
        errs.add(FieldError.required(path.child("exec", "command"), ""));
      }
    }
    if (probe.httpGet() != null) {
      if (handlers++ > 0) {
        errs.add(FieldError.forbidden(path.child("httpGet"), "may not specify more than 1 handler type"));
      } else {
        httpGet(probe.httpGet(), path.child("httpGet"), errs);
      }
    }
    if (probe.tcpSocket() != null) {
      if (handlers++ > 0) {
        errs.add(FieldError.forbidden(path.child("tcpSocket"), "may not specify more than 1 handler type"));
      } else {
        portNumOrName(probe.tcpSocket().port(), path.child("tcpSocket", "port"), errs);
      }
    }
    if (handlers == 0) {
      errs.add(FieldError.required(path, "must specify a handler type"));
    }
  }

  private static void httpGet(Probe.HTTPGetAction http, FieldPath path, List<FieldError> errs) {
    portNumOrName(http.port(), path.child("port"), errs);
    if (http.scheme() != null && !http.scheme().equals("HTTP") && !http.scheme().equals("HTTPS")) {
      errs.add(FieldError.notSupported(path.child("scheme"), http.scheme(), List.of("HTTP", "HTTPS")));
    }
    for (Probe.HTTPHeader header : http.httpHeaders()) {
      String name = header.name() == null ? "" : header.name();
      if (!HEADER.matcher(name).matches()) {
        errs.add(FieldError.invalid(path.child("httpHeaders"), name, Names.regexError(
            "a valid HTTP header must consist of alphanumeric characters or '-'", HEADER_FMT, "X-Header-Name")));
      }
    }
  }

  /** Kubernetes' {@code ValidatePortNumOrName}; an absent port is Go's zero value 0. */
  static void portNumOrName(IntOrString port, FieldPath path, List<FieldError> errs) {
    if (port == null || port.isInt()) {
      Numbers.port(port == null ? 0 : port.intValue(), path, errs);
    } else {
      PortNames.validate(port.stringValue()).forEach(m -> errs.add(FieldError.invalid(path, port.stringValue(), m)));
    }
  }
}
