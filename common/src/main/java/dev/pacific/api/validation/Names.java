package dev.pacific.api.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Kubernetes' DNS name rules ({@code k8s.io/apimachinery/pkg/util/validation}), each returning
 * every message Kubernetes would, in its words.
 */
public final class Names {

  static final String LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  static final String SUBDOMAIN_FMT = LABEL_FMT + "(\\." + LABEL_FMT + ")*";
  private static final Pattern LABEL = Pattern.compile(LABEL_FMT);
  private static final Pattern SUBDOMAIN = Pattern.compile(SUBDOMAIN_FMT);
  private static final String LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric "
      + "characters or '-', and must start and end with an alphanumeric character";
  private static final String SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case "
      + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

  private Names() {}

  /** RFC 1123 label: namespaces, container names, hostnames; at most 63 characters. */
  public static List<String> dns1123Label(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > 63) {
      errs.add(maxLen(63));
    }
    if (!LABEL.matcher(value).matches()) {
      errs.add(SUBDOMAIN.matcher(value).matches()
          ? "must not contain dots"
          : regexError(LABEL_MSG, LABEL_FMT, "my-name", "123-abc"));
    }
    return errs;
  }

  /** RFC 1123 subdomain: pod, node and quota names; at most 253 characters. */
  public static List<String> dns1123Subdomain(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > 253) {
      errs.add(maxLen(253));
    }
    if (!SUBDOMAIN.matcher(value).matches()) {
      errs.add(regexError(SUBDOMAIN_MSG, SUBDOMAIN_FMT, "example.com"));
    }
    return errs;
  }

  /**
   * A {@code generateName} prefix may end in '-' (Kubernetes' {@code maskTrailingDash}); the server
   * appends random characters before the name is used.
   */
  static String maskTrailingDash(String prefix) {
    return prefix.length() > 1 && prefix.endsWith("-") ? prefix.substring(0, prefix.length() - 2) + "a" : prefix;
  }

  static String maxLen(int n) {
    return "must be no more than " + n + " characters";
  }

  /** Kubernetes' {@code RegexError}, including its double space between examples. */
  static String regexError(String msg, String fmt, String... examples) {
    if (examples.length == 0) {
      return msg + " (regex used for validation is '" + fmt + "')";
    }
    StringBuilder s = new StringBuilder(msg).append(" (e.g. ");
    for (int i = 0; i < examples.length; i++) {
      if (i > 0) {
        s.append(" or ");
      }
      s.append('\'').append(examples[i]).append("', ");
    }
    return s.append("regex used for validation is '").append(fmt).append("')").toString();
  }
}
