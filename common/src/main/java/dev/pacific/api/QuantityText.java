package dev.pacific.api;

import dev.pacific.api.Quantity.Format;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * The text side of {@link Quantity}: splitting a spelling into sign, digits and suffix, and
 * printing an amount the way Kubernetes' {@code Quantity.String()} does.
 *
 * <p>Grammar (Kubernetes' own): {@code [+-]? (digits | digits.digits | digits. | .digits)
 * (binarySI | decimalSI | [eE] [+-]? digits)}, with binarySI = Ki Mi Gi Ti Pi Ei and decimalSI =
 * n u m "" k M G T P E.
 */
final class QuantityText {

  private QuantityText() {}

  record Parts(boolean positive, String num, String denom, String suffix) {}

  record Suffix(int base, int exponent, Format format) {}

  private static final Map<String, Integer> DECIMAL = Map.of(
      "n", -9, "u", -6, "m", -3, "", 0, "k", 3, "M", 6, "G", 9, "T", 12, "P", 15, "E", 18);
  private static final Map<String, Integer> BINARY = Map.of(
      "Ki", 10, "Mi", 20, "Gi", 30, "Ti", 40, "Pi", 50, "Ei", 60);
  private static final String[] DECIMAL_BY_EXPONENT = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
  private static final String[] BINARY_BY_EXPONENT = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  private static final String SUFFIX_CHARS = "eEinumkKMGTP";

  /**
   * Splits like Kubernetes' {@code parseQuantityString}: leading zeros are dropped, an empty
   * numerator is "0", and a lone sign or dot is zero (Kubernetes accepts "." and "-.").
   */
  static Parts split(String s) {
    int end = s.length();
    int pos = 0;
    boolean positive = true;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      positive = s.charAt(0) == '+';
      pos++;
    }
    while (pos < end && s.charAt(pos) == '0') {
      pos++;
    }
    if (pos >= end) {
      return new Parts(positive, "0", "", "");
    }
    int numStart = pos;
    pos = skipDigits(s, pos);
    String num = pos == numStart ? "0" : s.substring(numStart, pos);
    String denom = "";
    if (pos < end && s.charAt(pos) == '.') {
      int denomStart = ++pos;
      pos = skipDigits(s, pos);
      denom = s.substring(denomStart, pos);
    }
    int suffixStart = pos;
    while (pos < end && SUFFIX_CHARS.indexOf(s.charAt(pos)) >= 0) {
      pos++;
    }
    if (pos < end && (s.charAt(pos) == '-' || s.charAt(pos) == '+')) {
      pos++;
    }
    pos = skipDigits(s, pos);
    if (pos < end) {
      throw new IllegalArgumentException(Quantity.FORMAT_WRONG);
    }
    return new Parts(positive, num, denom, s.substring(suffixStart));
  }

  private static int skipDigits(String s, int pos) {
    while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
      pos++;
    }
    return pos;
  }

  /** Decimal SI first, then binary SI, then an exponent: so "1E" is exa and "1E3" is 1000. */
  static Suffix interpret(String suffix) {
    Integer dec = DECIMAL.get(suffix);
    if (dec != null) {
      return new Suffix(10, dec, Format.DECIMAL_SI);
    }
    Integer bin = BINARY.get(suffix);
    if (bin != null) {
      return new Suffix(2, bin, Format.BINARY_SI);
    }
    if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
      try {
        return new Suffix(10, Integer.parseInt(suffix.substring(1)), Format.DECIMAL_EXPONENT);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(Quantity.SUFFIX_WRONG);
      }
    }
    throw new IllegalArgumentException(Quantity.SUFFIX_WRONG);
  }

  /**
   * Whether Kubernetes would keep the client's spelling instead of re-printing it: its int64 fast
   * path reuses the input when the digits carry no trailing "000", no leading 0, and a scale that
   * is a multiple of three (decimal), or a binary amount not divisible by 8.
   */
  static boolean isCanonicalSpelling(Parts p, Suffix suffix) {
    String shifted = p.num() + p.denom();
    if (suffix.format() == Format.BINARY_SI) {
      int exponent = suffix.exponent();
      int precision = 15 - p.num().length() - exponent * 3 / 10 - 1;
      if (!p.denom().isEmpty() || precision < 0) {
        return false;
      }
      long v = Long.parseLong(shifted);
      boolean fits = BigInteger.valueOf(v).shiftLeft(exponent).bitLength() < 64;
      return fits && (v & 0x07) != 0;
    }
    int precision = 18 - p.num().length() - p.denom().length();
    int scale = suffix.exponent() - p.denom().length();
    return precision >= 0 && scale >= -9 && scale % 3 == 0
        && !shifted.endsWith("000") && shifted.charAt(0) != '0';
  }

  /** Kubernetes' {@code CanonicalizeBytes}: an integer mantissa and the largest exact suffix. */
  static String canonical(BigDecimal value, Format format) {
    if (value.signum() == 0) {
      return "0";
    }
    if (format == Format.BINARY_SI) {
      boolean small = value.abs().compareTo(BigDecimal.valueOf(1024)) < 0;
      boolean whole = value.stripTrailingZeros().scale() <= 0;
      if (!small && whole) {
        return binary(value.toBigIntegerExact());
      }
      format = Format.DECIMAL_SI;
    }
    BigDecimal stripped = value.stripTrailingZeros();
    BigInteger mantissa = stripped.unscaledValue();
    int exponent = -stripped.scale();
    while (exponent % 3 != 0) {
      mantissa = mantissa.multiply(BigInteger.TEN);
      exponent--;
    }
    return mantissa + decimalSuffix(exponent, format);
  }

  private static String binary(BigInteger v) {
    BigInteger ki = BigInteger.valueOf(1024);
    int exponent = 0;
    while (exponent < BINARY_BY_EXPONENT.length - 1 && v.abs().compareTo(ki) >= 0
        && v.mod(ki).signum() == 0) {
      v = v.divide(ki);
      exponent++;
    }
    return v + BINARY_BY_EXPONENT[exponent];
  }

  /** Beyond E (10^18) decimal SI falls back to exponent notation, as Kubernetes does since 1.33. */
  private static String decimalSuffix(int exponent, Format format) {
    if (format == Format.DECIMAL_SI && exponent >= -9 && exponent <= 18) {
      return DECIMAL_BY_EXPONENT[(exponent + 9) / 3];
    }
    return exponent == 0 ? "" : "e" + exponent;
  }
}
