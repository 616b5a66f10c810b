package dev.pacific.controlplane.api;

import dev.pacific.api.validation.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes' label selector in its string form ({@code ?labelSelector=}), after apimachinery's
 * {@code labels.Parse}: comma-separated requirements, each {@code key}, {@code !key},
 * {@code key=value}, {@code key==value}, {@code key!=value}, {@code key in (a,b)},
 * {@code key notin (a,b)}, {@code key>n} or {@code key<n}. As in Kubernetes, {@code !=} and
 * {@code notin} also select objects without the key. An empty selector selects everything.
 */
record LabelSelector(List<Requirement> requirements) {

  enum Op { EXISTS, NOT_EXISTS, IN, NOT_IN, GREATER, LESS }

  /** One requirement; {@code =} and {@code ==} are IN of one value, {@code !=} is NOT_IN of one. */
  record Requirement(String key, Op op, Set<String> values) {

    boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (op) {
        case EXISTS -> value != null;
        case NOT_EXISTS -> value == null;
        case IN -> value != null && values.contains(value);
        case NOT_IN -> value == null || !values.contains(value);
        case GREATER -> compare(value) > 0;
        case LESS -> compare(value) < 0;
      };
    }

    /** Kubernetes compares as integers; a label that is not one matches neither {@code >} nor {@code <}. */
    private int compare(String value) {
      if (value == null) {
        return 0;
      }
      try {
        return Long.compare(Long.parseLong(value), Long.parseLong(values.iterator().next()));
      } catch (NumberFormatException notANumber) {
        return 0;
      }
    }
  }

  static final LabelSelector EVERYTHING = new LabelSelector(List.of());

  LabelSelector {
    requirements = List.copyOf(requirements);
  }

  boolean matches(Map<String, String> labels) {
    return requirements.stream().allMatch(r -> r.matches(labels));
  }

  boolean isEverything() {
    return requirements.isEmpty();
  }

  static Parsed<LabelSelector> parse(String text) {
    if (text == null || text.isBlank()) {
      return Parsed.ok(EVERYTHING);
    }
    try {
      return Parsed.ok(new LabelSelector(new Parser(text).selector()));
    } catch (IllegalArgumentException e) {
      return Parsed.bad("labelSelector", "unable to parse requirement: " + e.getMessage());
    }
  }

  /** A recursive-descent parser over the selector's characters; errors are IllegalArgumentExceptions. */
  private static final class Parser {
    private final String text;
    private int at;

    Parser(String text) {
      this.text = text;
    }

    List<Requirement> selector() {
      List<Requirement> out = new ArrayList<>();
      do {
        out.add(requirement());
        skipSpace();
      } while (eat(","));
      if (at < text.length()) {
        throw new IllegalArgumentException("unexpected \"" + text.substring(at) + "\" after a requirement");
      }
      return out;
    }

    private Requirement requirement() {
      skipSpace();
      if (eat("!")) {
        return new Requirement(key(), Op.NOT_EXISTS, Set.of());
      }
      String key = key();
      skipSpace();
      if (at >= text.length() || text.charAt(at) == ',') {
        return new Requirement(key, Op.EXISTS, Set.of());
      }
      if (eat("==") || eat("=")) {
        return new Requirement(key, Op.IN, Set.of(value()));
      } else if (eat("!=")) {
        return new Requirement(key, Op.NOT_IN, Set.of(value()));
      } else if (eat(">") || eat("<")) {
        boolean greater = text.charAt(at - 1) == '>';
        return new Requirement(key, greater ? Op.GREATER : Op.LESS, Set.of(integer()));
      } else if (eatWord("notin")) {
        return new Requirement(key, Op.NOT_IN, set());
      } else if (eatWord("in")) {
        return new Requirement(key, Op.IN, set());
      }
      throw new IllegalArgumentException("found \"" + text.substring(at) + "\", expected: in, notin, =, ==, !=, gt, lt");
    }

    private String key() {
      skipSpace();
      String key = word();
      if (key.isEmpty()) {
        throw new IllegalArgumentException("found \"" + text.substring(at) + "\", expected: a label key");
      }
      List<String> errors = Labels.qualifiedName(key);
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException("invalid label key \"" + key + "\": " + String.join("; ", errors));
      }
      return key;
    }

    private String value() {
      skipSpace();
      String value = word();
      List<String> errors = Labels.labelValue(value);
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException("invalid label value: \"" + value + "\": " + String.join("; ", errors));
      }
      return value;
    }

    private String integer() {
      String value = value();
      try {
        Long.parseLong(value);
        return value;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("for 'gt', 'lt' operators, the value must be an integer, not \"" + value
            + "\"");
      }
    }

    private Set<String> set() {
      skipSpace();
      if (!eat("(")) {
        throw new IllegalArgumentException("found \"" + text.substring(at) + "\", expected: '('");
      }
      Set<String> values = new java.util.LinkedHashSet<>();
      do {
        values.add(value());
        skipSpace();
      } while (eat(","));
      if (!eat(")")) {
        throw new IllegalArgumentException("found \"" + text.substring(at) + "\", expected: ',' or ')'");
      }
      return Set.copyOf(values);
    }

    /** Characters up to whitespace or an operator character, as Kubernetes' lexer reads identifiers. */
    private String word() {
      int start = at;
      while (at < text.length() && " \t\n,=!()<>".indexOf(text.charAt(at)) < 0) {
        at++;
      }
      return text.substring(start, at);
    }

    private boolean eatWord(String word) {
      int save = at;
      if (word().equals(word)) {
        return true;
      }
      at = save;
      return false;
    }

    private boolean eat(String token) {
      if (text.startsWith(token, at)) {
        at += token.length();
        return true;
      }
      return false;
    }

    private void skipSpace() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }
  }
}
