package dev.pacific.api;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * A Kubernetes resource quantity ({@code 500m}, {@code 128Mi}, {@code 1e3}): an exact decimal
 * plus the notation it prints in. Parsing and printing follow
 * {@code k8s.io/apimachinery/pkg/api/resource.Quantity}, including its rounding of anything finer
 * than a nano up to {@code 1n}, its cap of binary-SI amounts at 2^63-1, and its habit of keeping
 * the client's own spelling when that spelling is already canonical. Arithmetic is exact
 * (BigDecimal), never floating point.
 *
 * <p>One deliberate difference: a magnitude of 10^{@value #MAX_DIGITS} or more is refused, because
 * Kubernetes' unbounded exponents ({@code 1e2000000000}) would let one request make every later
 * addition allocate gigabytes.
 */
@JsonDeserialize(using = Quantity.Reader.class)
public final class Quantity implements Comparable<Quantity> {

  /** How a quantity prints; the suffix family the client chose. */
  public enum Format { DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT }

  /** Kubernetes' ErrFormatWrong, word for word, so clients see the message they know. */
  public static final String FORMAT_WRONG =
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  static final String NUMERIC_WRONG = "unable to parse numeric part of quantity";
  static final String SUFFIX_WRONG = "unable to parse quantity's suffix";
  static final int MAX_DIGITS = 100;
  private static final int MAX_LENGTH = 256;
  private static final BigDecimal MAX_BINARY = BigDecimal.valueOf(Long.MAX_VALUE);
  private static final BigDecimal KI = BigDecimal.valueOf(1024);

  public static final Quantity ZERO = new Quantity(BigDecimal.ZERO, Format.DECIMAL_SI, "0");

  private final BigDecimal value;
  private final Format format;
  private final String text;

  private Quantity(BigDecimal value, Format format, String text) {
    this.value = value;
    this.format = format;
    this.text = text != null ? text : QuantityText.canonical(value, format);
  }

  /** An exact amount printed in the given notation (rounded up to nano like a parsed one). */
  public static Quantity of(BigDecimal value, Format format) {
    return new Quantity(roundToNano(value), format, null);
  }

  public static Quantity of(long value, Format format) {
    return of(BigDecimal.valueOf(value), format);
  }

  /** Thousandths, as Kubernetes' {@code NewMilliQuantity}: {@code ofMillis(500)} prints {@code 500m}. */
  public static Quantity ofMillis(long millis) {
    return of(BigDecimal.valueOf(millis, 3), Format.DECIMAL_SI);
  }

  /**
   * Parses Kubernetes' quantity grammar.
   *
   * @throws IllegalArgumentException with Kubernetes' own message when the text is not a quantity
   */
  public static Quantity parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException(FORMAT_WRONG);
    }
    if (text.equals("0")) {
      return ZERO;
    }
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("quantity may not be longer than " + MAX_LENGTH + " characters");
    }
    QuantityText.Parts parts = QuantityText.split(text);
    QuantityText.Suffix suffix = QuantityText.interpret(parts.suffix());
    BigDecimal amount = amount(parts, suffix);
    String kept = QuantityText.isCanonicalSpelling(parts, suffix) ? text : null;
    return new Quantity(amount, suffix.format(), kept);
  }

  /** {@link #parse} as a value: the quantity, or empty when the text is not one. */
  public static Optional<Quantity> tryParse(String text) {
    try {
      return Optional.of(parse(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static BigDecimal amount(QuantityText.Parts parts, QuantityText.Suffix suffix) {
    BigInteger unscaled = new BigInteger(parts.num() + parts.denom());
    if (unscaled.signum() == 0) {
      return BigDecimal.ZERO;
    }
    int exponent = suffix.exponent();
    long integerDigits = (long) parts.num().length() + (suffix.base() == 10 ? exponent : exponent * 3L / 10 + 1);
    if (integerDigits > MAX_DIGITS) {
      throw new IllegalArgumentException("quantity too large: must be less than 1e" + MAX_DIGITS);
    }
    BigDecimal magnitude;
    if (suffix.base() == 10 && exponent < -2 * MAX_LENGTH) {
      // Far below a nano: Kubernetes rounds any non-zero amount up to 1n.
      magnitude = BigDecimal.ONE.movePointLeft(9);
    } else {
      magnitude = new BigDecimal(unscaled, parts.denom().length());
      magnitude = suffix.base() == 10
          ? magnitude.scaleByPowerOfTen(exponent)
          : magnitude.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(exponent)));
      magnitude = roundToNano(magnitude);
    }
    if (suffix.format() == Format.BINARY_SI && magnitude.compareTo(MAX_BINARY) > 0) {
      magnitude = MAX_BINARY; // Kubernetes caps binary-SI amounts at the largest int64.
    }
    return parts.positive() ? magnitude : magnitude.negate();
  }

  /** Kubernetes keeps nothing finer than 10^-9 and rounds away from zero, so a request never becomes 0. */
  private static BigDecimal roundToNano(BigDecimal v) {
    return v.scale() > 9 ? v.setScale(9, RoundingMode.UP) : v;
  }

  public BigDecimal amount() {
    return value;
  }

  public Format format() {
    return format;
  }

  public int signum() {
    return value.signum();
  }

  public boolean isZero() {
    return value.signum() == 0;
  }

  /** Exact sum; like Kubernetes' {@code Add}, a zero takes the notation of what is added to it. */
  public Quantity add(Quantity other) {
    Format f = isZero() ? other.format : format;
    return new Quantity(value.add(other.value), f, null);
  }

  public Quantity subtract(Quantity other) {
    Format f = isZero() ? other.format : format;
    return new Quantity(value.subtract(other.value), f, null);
  }

  public Quantity negate() {
    return new Quantity(value.negate(), format, null);
  }

  /** Whole units rounded up, as Kubernetes' {@code Value()} (so 1500m is 2); saturates at the int64 range. */
  public long value() {
    return saturate(value.setScale(0, RoundingMode.UP));
  }

  /** Thousandths rounded up, as Kubernetes' {@code MilliValue()}; saturates at the int64 range. */
  public long milliValue() {
    return saturate(value.movePointRight(3).setScale(0, RoundingMode.UP));
  }

  private static long saturate(BigDecimal whole) {
    if (whole.compareTo(MAX_BINARY) > 0) {
      return Long.MAX_VALUE;
    }
    return whole.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0 ? Long.MIN_VALUE : whole.longValueExact();
  }

  @Override
  public int compareTo(Quantity other) {
    return value.compareTo(other.value);
  }

  /** Equal when the amounts are equal, whatever the notation: 1Gi equals 1024Mi, as Kubernetes' {@code Equal}. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Quantity q && value.compareTo(q.value) == 0;
  }

  @Override
  public int hashCode() {
    return value.signum() == 0 ? 0 : value.stripTrailingZeros().hashCode();
  }

  /** The spelling Kubernetes prints: {@code 0.5} as {@code 500m}, {@code 1024Mi} as {@code 1Gi}. */
  @JsonValue
  @Override
  public String toString() {
    return text;
  }

  /** Reads a quantity from a JSON string or, as Kubernetes allows, a bare JSON/YAML number. */
  static final class Reader extends StdDeserializer<Quantity> {
    Reader() {
      super(Quantity.class);
    }

    @Override
    public Quantity deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      JsonToken t = p.currentToken();
      String raw;
      if (t == JsonToken.VALUE_STRING) {
        raw = p.getText().strip();
      } else if (t == JsonToken.VALUE_NUMBER_INT) {
        raw = p.getText();
      } else if (t == JsonToken.VALUE_NUMBER_FLOAT) {
        raw = p.getDecimalValue().toPlainString();
      } else {
        return (Quantity) ctx.handleUnexpectedToken(Quantity.class, p);
      }
      try {
        return parse(raw);
      } catch (IllegalArgumentException e) {
        return (Quantity) ctx.handleWeirdStringValue(Quantity.class, raw, e.getMessage());
      }
    }
  }
}
