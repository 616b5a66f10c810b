package dev.pacific.api.validation;

import dev.pacific.api.Quantity;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One validation problem, printed exactly as Kubernetes' {@code field.Error}:
 * {@code spec.containers[0].name: Required value},
 * {@code spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"}.
 */
public record FieldError(Type type, String field, Object badValue, String detail) {

  /** Kubernetes' {@code field.ErrorType}: the cause type in a Status and the words it prints. */
  public enum Type {
    REQUIRED("FieldValueRequired", "Required value", false),
    INVALID("FieldValueInvalid", "Invalid value", true),
    DUPLICATE("FieldValueDuplicate", "Duplicate value", true),
    NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value", true),
    FORBIDDEN("FieldValueForbidden", "Forbidden", false),
    TOO_LONG("FieldValueTooLong", "Too long", false),
    TOO_MANY("FieldValueTooMany", "Too many", true);

    private final String reason;
    private final String words;
    private final boolean showsValue;

    Type(String reason, String words, boolean showsValue) {
      this.reason = reason;
      this.words = words;
      this.showsValue = showsValue;
    }

    /** The {@code reason} of a Status cause ({@code FieldValueRequired}, …). */
    public String reason() {
      return reason;
    }
  }

  public static FieldError required(FieldPath path, String detail) {
    return new FieldError(Type.REQUIRED, path.path(), "", detail);
  }

  public static FieldError invalid(FieldPath path, Object value, String detail) {
    return new FieldError(Type.INVALID, path.path(), value, detail);
  }

  public static FieldError duplicate(FieldPath path, Object value) {
    return new FieldError(Type.DUPLICATE, path.path(), value, "");
  }

  /** Lists the accepted values in the order given, quoted, as Kubernetes' {@code NotSupported}. */
  public static FieldError notSupported(FieldPath path, Object value, List<String> supported) {
    String detail = supported.isEmpty() ? ""
        : "supported values: " + supported.stream().map(FieldError::quote).collect(Collectors.joining(", "));
    return new FieldError(Type.NOT_SUPPORTED, path.path(), value, detail);
  }

  public static FieldError forbidden(FieldPath path, String detail) {
    return new FieldError(Type.FORBIDDEN, path.path(), "", detail);
  }

  public static FieldError tooLong(FieldPath path, int maxBytes) {
    return new FieldError(Type.TOO_LONG, path.path(), "<value omitted>",
        "may not be more than " + maxBytes + (maxBytes == 1 ? " byte" : " bytes"));
  }

  public static FieldError tooMany(FieldPath path, int actual, int max) {
    return new FieldError(Type.TOO_MANY, path.path(), actual, "must have at most " + max + (max == 1 ? " item" : " items"));
  }

  /** The message without the field, as in a Status cause: {@code Invalid value: "UPPER": a lowercase …}. */
  public String body() {
    String s = type.words;
    if (type.showsValue) {
      s += ": " + render(badValue);
    }
    return detail == null || detail.isEmpty() ? s : s + ": " + detail;
  }

  /** {@code field: body}, Kubernetes' {@code Error()}. */
  @Override
  public String toString() {
    return field + ": " + body();
  }

  /** Go's {@code %v} for numbers and booleans, {@code %q} for strings, JSON for the rest. */
  private static String render(Object value) {
    if (value == null) {
      return "null";
    } else if (value instanceof String s) {
      return quote(s);
    } else if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    } else if (value instanceof Quantity q) {
      return quote(q.toString());
    } else if (value instanceof List<?> list) {
      return list.stream().map(FieldError::render).collect(Collectors.joining(",", "[", "]"));
    }
    return quote(value.toString());
  }

  /** Go's {@code strconv.Quote} for the characters names and values contain. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
