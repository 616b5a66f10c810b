package dev.pacific.api.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Kubernetes' {@code IsValidPortName} (an IANA service name, lower case only). */
final class PortNames {

  private static final Pattern CHARSET = Pattern.compile("[-a-z0-9]+");
  private static final Pattern ONE_LETTER = Pattern.compile(".*[a-z].*");

  private PortNames() {}

  static List<String> validate(String port) {
    List<String> errs = new ArrayList<>();
    if (port.length() > 15) {
      errs.add(Names.maxLen(15));
    }
    if (!CHARSET.matcher(port).matches()) {
      errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if (!ONE_LETTER.matcher(port).matches()) {
      errs.add("must contain at least one letter (a-z)");
    }
    if (port.contains("--")) {
      errs.add("must not contain consecutive hyphens");
    }
    if (!port.isEmpty() && (port.startsWith("-") || port.endsWith("-"))) {
      errs.add("must not begin or end with a hyphen");
    }
    return errs;
  }
}
