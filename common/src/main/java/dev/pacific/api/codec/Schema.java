package dev.pacific.api.codec;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pacific.api.IntOrString;
import dev.pacific.api.Quantity;
import dev.pacific.api.ResourceList;
import dev.pacific.api.Rfc3339;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a parsed tree against the record type it will become, the way Kubernetes' strict decoder
 * does for built-in types: every unknown field, wrong JSON type, null list item and malformed
 * quantity is found with its field path, not just the first. Returns the tree with unknown and
 * null fields removed (null means "unset" in Kubernetes), ready to bind.
 */
final class Schema {

  private static final ClassValue<Map<String, Type>> FIELDS = new ClassValue<>() {
    @Override
    protected Map<String, Type> computeValue(Class<?> type) {
      Map<String, Type> fields = new LinkedHashMap<>();
      for (RecordComponent c : type.getRecordComponents()) {
        fields.put(jsonName(c), c.isAnnotationPresent(Rfc3339.class) ? Timestamp.class : c.getGenericType());
      }
      return fields;
    }
  };

  /** Stands for a string component marked {@link Rfc3339} in the field table. */
  private static final class Timestamp {}

  private final FieldValidation validation;
  private final List<Problem> errors;
  private final List<String> warnings;

  Schema(FieldValidation validation, List<Problem> errors, List<String> warnings) {
    this.validation = validation;
    this.errors = errors;
    this.warnings = warnings;
  }

  /** The cleaned node, or null when this node itself is unusable (a problem is recorded). */
  JsonNode check(JsonNode node, Type type, String path) {
    Class<?> raw = raw(type);
    if (raw == String.class) {
      return expect(node.isTextual(), node, "string", path);
    } else if (raw == Integer.class || raw == int.class) {
      return integer(node, node.isIntegralNumber() && node.canConvertToInt(), "32-bit integer", path);
    } else if (raw == Long.class || raw == long.class) {
      return integer(node, node.isIntegralNumber() && node.canConvertToLong(), "64-bit integer", path);
    } else if (raw == Boolean.class || raw == boolean.class) {
      return expect(node.isBoolean(), node, "boolean", path);
    } else if (raw == Timestamp.class) {
      return timestamp(node, path);
    } else if (raw == Quantity.class) {
      return quantity(node, path);
    } else if (raw == IntOrString.class) {
      return expect(node.isTextual() || (node.isIntegralNumber() && node.canConvertToInt()), node,
          "integer or string", path);
    } else if (raw == ResourceList.class) {
      return map(node, Quantity.class, path);
    } else if (List.class.isAssignableFrom(raw)) {
      return list(node, typeArgument(type, 0), path);
    } else if (Map.class.isAssignableFrom(raw)) {
      return map(node, typeArgument(type, 1), path);
    } else if (raw.isRecord()) {
      return record(node, raw, path);
    }
    throw new IllegalStateException("no schema rule for " + type);
  }

  private JsonNode record(JsonNode node, Class<?> type, String path) {
    if (!node.isObject()) {
      return expect(false, node, "object", path);
    }
    Map<String, Type> fields = FIELDS.get(type);
    ObjectNode clean = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String fieldPath = Paths.child(path, field.getKey());
      Type fieldType = fields.get(field.getKey());
      if (fieldType == null && Unsupported.isKubernetesField(type, field.getKey())) {
        unsupported(fieldPath);
      } else if (fieldType == null) {
        unknown(fieldPath);
      } else if (!field.getValue().isNull()) {
        JsonNode checked = check(field.getValue(), fieldType, fieldPath);
        if (checked != null) {
          clean.set(field.getKey(), checked);
        }
      }
    }
    return clean;
  }

  private JsonNode list(JsonNode node, Type item, String path) {
    if (!node.isArray()) {
      return expect(false, node, "array", path);
    }
    var clean = JsonNodeFactory.instance.arrayNode();
    for (int i = 0; i < node.size(); i++) {
      JsonNode checked = check(node.get(i), item, Paths.index(path, i));
      if (checked != null) {
        clean.add(checked);
      }
    }
    return clean;
  }

  private JsonNode map(JsonNode node, Type value, String path) {
    if (!node.isObject()) {
      return expect(false, node, "object", path);
    }
    ObjectNode clean = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      JsonNode checked = check(entry.getValue(), value, Paths.key(path, entry.getKey()));
      if (checked != null) {
        clean.set(entry.getKey(), checked);
      }
    }
    return clean;
  }

  /** A quantity may be a string or, as Kubernetes accepts, a bare number ({@code cpu: 1}). */
  private JsonNode quantity(JsonNode node, String path) {
    String text;
    if (node.isTextual()) {
      text = node.textValue().strip();
    } else if (node.isIntegralNumber()) {
      text = node.bigIntegerValue().toString();
    } else if (node.isNumber()) {
      text = node.decimalValue().toPlainString();
    } else {
      return expect(false, node, "quantity string", path);
    }
    try {
      Quantity.parse(text);
      // Keep the client's spelling: Kubernetes echoes a canonical spelling back unchanged.
      return JsonNodeFactory.instance.textNode(text);
    } catch (IllegalArgumentException e) {
      errors.add(new Problem(path, Problem.INVALID, e.getMessage()));
      return null;
    }
  }

  /** Kubernetes' {@code metav1.Time} accepts RFC 3339 only ({@code 2024-05-01T10:00:00Z}). */
  private JsonNode timestamp(JsonNode node, String path) {
    if (!node.isTextual()) {
      return expect(false, node, "string", path);
    }
    try {
      OffsetDateTime.parse(node.textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      return node;
    } catch (DateTimeParseException e) {
      errors.add(new Problem(path, Problem.INVALID, "Invalid value: \"" + node.textValue()
          + "\": must be an RFC 3339 time such as \"2024-05-01T10:00:00Z\""));
      return null;
    }
  }

  private JsonNode integer(JsonNode node, boolean ok, String what, String path) {
    if (!ok && node.isIntegralNumber()) {
      errors.add(new Problem(path, Problem.TYPE_INVALID, "expected a " + what + ", got " + node.asText()));
      return null;
    }
    return expect(ok, node, "integer", path);
  }

  private JsonNode expect(boolean ok, JsonNode node, String expected, String path) {
    if (ok) {
      return node;
    }
    errors.add(new Problem(path, Problem.TYPE_INVALID, "expected " + expected + ", got " + jsonType(node)));
    return null;
  }

  private void unknown(String path) {
    switch (validation) {
      case STRICT -> errors.add(new Problem(path, Problem.INVALID, "unknown field \"" + path + "\""));
      case WARN -> warnings.add("unknown field \"" + path + "\"");
      case IGNORE -> { }
    }
  }

  /** A Kubernetes field Pacific does not model: never an error, since Kubernetes would accept it. */
  private void unsupported(String path) {
    if (validation != FieldValidation.IGNORE) {
      warnings.add("field \"" + path + "\" is not supported by Pacific and was dropped");
    }
  }

  static String jsonType(JsonNode node) {
    return switch (node.getNodeType()) {
      case STRING -> "string";
      case NUMBER -> "number";
      case BOOLEAN -> "boolean";
      case ARRAY -> "array";
      case OBJECT -> "object";
      case NULL, MISSING -> "null";
      default -> node.getNodeType().name().toLowerCase();
    };
  }

  private static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    return (Class<?>) ((ParameterizedType) type).getRawType();
  }

  private static Type typeArgument(Type type, int i) {
    return ((ParameterizedType) type).getActualTypeArguments()[i];
  }

  /** Jackson's name for a component: {@code @JsonProperty} on the accessor or field, else the component name. */
  private static String jsonName(RecordComponent c) {
    JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
    if (p == null) {
      try {
        p = c.getDeclaringRecord().getDeclaredField(c.getName()).getAnnotation(JsonProperty.class);
      } catch (NoSuchFieldException e) {
        throw new IllegalStateException(e);
      }
    }
    return p != null && !p.value().isEmpty() ? p.value() : c.getName();
  }
}
