package dev.pacific.api;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;

/**
 * Kubernetes' {@code IntOrString} as probes use it for {@code port}: a number ({@code 8080}) or a
 * named container port ({@code "http"}). The JSON type decides which: {@code "8080"} stays a
 * string, as in Kubernetes, and then fails port-name validation.
 */
@JsonDeserialize(using = IntOrString.Reader.class)
public record IntOrString(Integer intValue, String stringValue) {

  public IntOrString {
    if ((intValue == null) == (stringValue == null)) {
      throw new IllegalArgumentException("exactly one of intValue and stringValue");
    }
  }

  public static IntOrString of(int value) {
    return new IntOrString(value, null);
  }

  public static IntOrString of(String value) {
    return new IntOrString(null, value);
  }

  public boolean isInt() {
    return intValue != null;
  }

  @JsonValue
  public Object json() {
    return isInt() ? intValue : stringValue;
  }

  @Override
  public String toString() {
    return String.valueOf(json());
  }

  static final class Reader extends StdDeserializer<IntOrString> {
    Reader() {
      super(IntOrString.class);
    }

    @Override
    public IntOrString deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
        return of(p.getIntValue());
      }
      if (p.currentToken() == JsonToken.VALUE_STRING) {
        return of(p.getText());
      }
      return (IntOrString) ctx.handleUnexpectedToken(IntOrString.class, p);
    }
  }
}
