package dev.pacific.controlplane.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Kubernetes' field selector ({@code ?fieldSelector=}, apimachinery's {@code fields.ParseSelector}):
 * comma-separated {@code field=value}, {@code field==value} or {@code field!=value} terms, with
 * {@code \,}, {@code \=} and {@code \\} escaping those characters in a value. Only the fields the
 * kind supports may be named (Kubernetes answers "field label not supported" otherwise); a field
 * the object lacks compares as the empty string, so {@code spec.nodeName=} selects unbound pods.
 */
record FieldSelector(List<Term> terms) {

  record Term(String field, boolean equal, String value) {
    boolean matches(Function<String, String> fields) {
      String actual = fields.apply(field);
      return equal == value.equals(actual == null ? "" : actual);
    }
  }

  static final FieldSelector EVERYTHING = new FieldSelector(List.of());

  /** Fields every kind supports, as Kubernetes' {@code DefaultClusterScopedAttr}/{@code DefaultNamespaceScopedAttr}. */
  static final Set<String> COMMON = Set.of("metadata.name", "metadata.namespace");

  FieldSelector {
    terms = List.copyOf(terms);
  }

  boolean matches(Function<String, String> fields) {
    return terms.stream().allMatch(t -> t.matches(fields));
  }

  boolean isEverything() {
    return terms.isEmpty();
  }

  /** @param supported the fields this kind lets a selector name, besides {@link #COMMON} */
  static Parsed<FieldSelector> parse(String text, Set<String> supported) {
    if (text == null || text.isBlank()) {
      return Parsed.ok(EVERYTHING);
    }
    List<Term> terms = new ArrayList<>();
    for (String part : split(text, ',')) {
      Parsed<Term> term = term(part.strip(), supported);
      if (term instanceof Parsed.Bad<Term> bad) {
        return new Parsed.Bad<>(bad.status());
      }
      terms.add(((Parsed.Ok<Term>) term).value());
    }
    return Parsed.ok(new FieldSelector(terms));
  }

  private static Parsed<Term> term(String part, Set<String> supported) {
    int op = unescapedIndexOf(part, '=');
    boolean notEqual = op > 0 && part.charAt(op - 1) == '!' && !escaped(part, op - 1);
    if (op < 0) {
      return Parsed.bad("fieldSelector", "invalid selector: '" + part + "'; can't understand '" + part + "'");
    }
    String field = part.substring(0, notEqual ? op - 1 : op).strip();
    String rest = part.substring(op + 1);
    if (!notEqual && rest.startsWith("=")) {
      rest = rest.substring(1);
    }
    if (!COMMON.contains(field) && !supported.contains(field)) {
      Set<String> all = new TreeSet<>(COMMON);
      all.addAll(supported);
      return Parsed.bad("fieldSelector", "field label not supported: " + field + " (supported: "
          + String.join(", ", all) + ")");
    }
    if (unescapedIndexOf(rest, '=') >= 0) {
      return Parsed.bad("fieldSelector", "invalid selector: '" + part + "': a value may not hold an unescaped '='");
    }
    return Parsed.ok(new Term(field, !notEqual, unescape(rest.strip())));
  }

  private static List<String> split(String text, char separator) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\\') {
        i++;
      } else if (text.charAt(i) == separator) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    return parts;
  }

  private static int unescapedIndexOf(String text, char c) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\\') {
        i++;
      } else if (text.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }

  private static boolean escaped(String text, int index) {
    int backslashes = 0;
    for (int i = index - 1; i >= 0 && text.charAt(i) == '\\'; i--) {
      backslashes++;
    }
    return backslashes % 2 == 1;
  }

  private static String unescape(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' && i + 1 < value.length()) {
        c = value.charAt(++i);
      }
      out.append(c);
    }
    return out.toString();
  }
}
