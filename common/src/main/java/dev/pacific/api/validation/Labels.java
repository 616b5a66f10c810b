package dev.pacific.api.validation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Label keys (Kubernetes' "qualified names": {@code [prefix/]name}), label values, and annotation
 * keys and size, with Kubernetes' messages. Errors for a map point at the map itself
 * ({@code metadata.labels}) with the bad key or value, as Kubernetes does.
 */
public final class Labels {

  private static final String KEY_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
  private static final String VALUE_FMT = "(" + KEY_FMT + ")?";
  private static final Pattern KEY = Pattern.compile(KEY_FMT);
  private static final Pattern VALUE = Pattern.compile(VALUE_FMT);
  private static final String KEY_MSG =
      "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  private static final String VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric "
      + "characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  /** Kubernetes' {@code TotalAnnotationSizeLimitB}: 256 KiB of keys and values together. */
  static final int ANNOTATIONS_MAX_BYTES = 256 * 1024;

  private Labels() {}

  /** Kubernetes' {@code IsQualifiedName}: label keys, annotation keys, finalizers, resource names. */
  public static List<String> qualifiedName(String value) {
    List<String> errs = new ArrayList<>();
    String[] parts = value.split("/", -1);
    String name;
    if (parts.length == 1) {
      name = parts[0];
    } else if (parts.length == 2) {
      name = parts[1];
      if (parts[0].isEmpty()) {
        errs.add("prefix part must be non-empty");
      } else {
        Names.dns1123Subdomain(parts[0]).forEach(m -> errs.add("prefix part " + m));
      }
    } else {
      errs.add("a valid label key " + Names.regexError(KEY_MSG, KEY_FMT, "MyName", "my.name", "123-abc")
          + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
      return errs;
    }
    if (name.isEmpty()) {
      errs.add("name part must be non-empty");
    } else if (name.length() > 63) {
      errs.add("name part " + Names.maxLen(63));
    }
    if (!KEY.matcher(name).matches()) {
      errs.add("name part " + Names.regexError(KEY_MSG, KEY_FMT, "MyName", "my.name", "123-abc"));
    }
    return errs;
  }

  /** Kubernetes' {@code IsValidLabelValue}. */
  public static List<String> labelValue(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > 63) {
      errs.add(Names.maxLen(63));
    }
    if (!VALUE.matcher(value).matches()) {
      errs.add(Names.regexError(VALUE_MSG, VALUE_FMT, "MyValue", "my_value", "12345"));
    }
    return errs;
  }

  /** Labels and node selectors: every key a qualified name, every value a label value. */
  public static List<FieldError> validate(Map<String, String> labels, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    labels.forEach((k, v) -> {
      qualifiedName(k).forEach(m -> errs.add(FieldError.invalid(path, k, m)));
      labelValue(v).forEach(m -> errs.add(FieldError.invalid(path, v, m)));
    });
    return errs;
  }

  /** Annotation keys are qualified names in any case; all of them together at most 256 KiB. */
  public static List<FieldError> validateAnnotations(Map<String, String> annotations, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    long bytes = 0;
    for (Map.Entry<String, String> e : annotations.entrySet()) {
      qualifiedName(e.getKey().toLowerCase(Locale.ROOT)).forEach(m -> errs.add(FieldError.invalid(path, e.getKey(), m)));
      bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    if (bytes > ANNOTATIONS_MAX_BYTES) {
      errs.add(FieldError.tooLong(path, ANNOTATIONS_MAX_BYTES));
    }
    return errs;
  }
}
