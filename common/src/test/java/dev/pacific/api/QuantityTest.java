package dev.pacific.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Cases follow Kubernetes' own quantity_test.go (TestQuantityParse, TestQuantityString, TestQuantityParseEmit). */
class QuantityTest {

  @ParameterizedTest(name = "{0} prints as {1}")
  @CsvSource(delimiter = '|', textBlock = """
      0                     | 0
      0n                    | 0
      0m                    | 0
      0Ki                   | 0
      0Mi                   | 0
      0.0                   | 0
      1                     | 1
      1Ki                   | 1Ki
      8Ki                   | 8Ki
      7Mi                   | 7Mi
      6Gi                   | 6Gi
      5Ti                   | 5Ti
      4Pi                   | 4Pi
      3Ei                   | 3Ei
      1023Ki                | 1023Ki
      1024Mi                | 1Gi
      1.5Gi                 | 1536Mi
      0.5Mi                 | 512Ki
      0.5Ki                 | 512
      5n                    | 5n
      4u                    | 4u
      3m                    | 3m
      8k                    | 8k
      50k                   | 50k
      7M                    | 7M
      6G                    | 6G
      40T                   | 40T
      2P                    | 2P
      1E                    | 1E
      12E                   | 12E
      1000M                 | 1G
      1000E                 | 1e21
      5000E                 | 5e21
      1e3                   | 1e3
      1E-3                  | 1E-3
      1e14                  | 100e12
      1.2e3                 | 1200
      1.3E+6                | 1300e3
      0.5e0                 | 500e-3
      0.5                   | 500m
      0.001                 | 1m
      0.0005k               | 500m
      .001                  | 1m
      .0001k                | 100m
      9.01                  | 9010m
      1.08                  | 1080m
      8.1k                  | 8100
      2.5P                  | 2500T
      1.01E                 | 1010P
      10.035M               | 10.035M
      5.444T                | 5.444T
      2000m                 | 2
      1000m                 | 1
      1500m                 | 1500m
      500m                  | 500m
      -0.5                  | -500m
      -1Ki                  | -1Ki
      128974848             | 128974848
      129e6                 | 129e6
      123Mi                 | 123Mi
      3.001n                | 4n
      1.1E-9                | 2e-9
      0.0000000001          | 1n
      0.0000000005          | 1n
      0.5e-9                | 1e-9
      0.9n                  | 1n
      0.00000012345         | 124n
      -0.00000012345        | -124n
      1e-20                 | 1e-9
      9Ei                   | 9223372036854775807
      9223372036854775807Ki | 9223372036854775807
      100.035Ki             | 102435840m
      0.05Gi                | 53687091200m
      .001Ki                | 1024m
      .000001Ki             | 1024u
      .000000001Ki          | 1024n
      .000000000001Ki       | 2n
      +1                    | +1
      .                     | 0
      -.                    | 0
      Mi                    | 0
      """)
  void printsLikeKubernetes(String in, String expected) {
    assertEquals(expected, Quantity.parse(in).toString());
  }

  @ParameterizedTest(name = "{0} equals {1}")
  @CsvSource(delimiter = '|', textBlock = """
      1Gi      | 1073741824
      1024Mi   | 1Gi
      1        | 1000m
      0.5      | 500m
      1e3      | 1k
      1.       | 1
      1.G      | 1G
      100.035k | 100035
      50k      | 5e4
      1E       | 1e18
      0.1M     | 100k
      1.1Mi    | 1153433.6
      """)
  void equalAmountsAreEqualWhateverTheSpelling(String a, String b) {
    assertEquals(Quantity.parse(a), Quantity.parse(b));
    assertEquals(Quantity.parse(a).hashCode(), Quantity.parse(b).hashCode());
  }

  @ParameterizedTest(name = "rejects \"{0}\"")
  @ValueSource(strings = {
      "", "1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-", " 1", "1 ",
      "1e", "1Ki5", "1KB", "1mm", "1ee3", "1e3.5", "1e99999999999", "0x10", "1,000", "--1", "1Kii",
      "1 Mi", "1e101", "1e100"})
  void rejectsWhatKubernetesRejects(String in) {
    assertThrows(IllegalArgumentException.class, () -> Quantity.parse(in));
    assertTrue(Quantity.tryParse(in).isEmpty());
  }

  @Test
  void badFormatCarriesKubernetesMessage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Quantity.parse("12 cores"));
    assertEquals("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        e.getMessage());
    assertEquals("unable to parse quantity's suffix",
        assertThrows(IllegalArgumentException.class, () -> Quantity.parse("5mi")).getMessage());
  }

  @Test
  void addsWithoutFloatingPointError() {
    assertEquals("300m", Quantity.parse("0.1").add(Quantity.parse("0.2")).toString());
    assertEquals(Quantity.parse("0.3"), Quantity.parse("0.1").add(Quantity.parse("0.2")));
    assertEquals("1536Mi", Quantity.parse("1Gi").add(Quantity.parse("512Mi")).toString());
    assertEquals("-500m", Quantity.parse("1").subtract(Quantity.parse("1500m")).toString());
    Quantity sum = Quantity.ZERO;
    for (int i = 0; i < 1000; i++) {
      sum = sum.add(Quantity.parse("1m"));
    }
    assertEquals("1", sum.toString());
  }

  @Test
  void zeroTakesTheNotationOfWhatIsAddedToIt() {
    assertEquals("1Gi", Quantity.ZERO.add(Quantity.parse("1Gi")).toString());
    assertEquals("100m", Quantity.parse("100m").add(Quantity.ZERO).toString());
  }

  @Test
  void comparesByAmount() {
    assertTrue(Quantity.parse("10000T").compareTo(Quantity.parse("100Gi")) > 0);
    assertTrue(Quantity.parse("50m").compareTo(Quantity.parse("100m")) < 0);
    assertEquals(0, Quantity.parse("0").compareTo(Quantity.parse("0Mi")));
    assertNotEquals(Quantity.parse("1G"), Quantity.parse("1Gi"));
  }

  @Test
  void valueAndMilliValueRoundUpAsKubernetes() {
    assertEquals(2, Quantity.parse("1500m").value());
    assertEquals(1500, Quantity.parse("1.5").milliValue());
    assertEquals(1, Quantity.parse("1n").milliValue());
    assertEquals(134217728, Quantity.parse("128Mi").value());
    assertEquals(Long.MAX_VALUE, Quantity.parse("1e30").value());
    assertEquals(Long.MIN_VALUE, Quantity.parse("-1e30").milliValue());
  }

  @Test
  void buildsFromNumbers() {
    assertEquals("500m", Quantity.ofMillis(500).toString());
    assertEquals("1Ki", Quantity.of(1024, Quantity.Format.BINARY_SI).toString());
    assertEquals("1k", Quantity.of(1000, Quantity.Format.DECIMAL_SI).toString());
    assertEquals("1e6", Quantity.of(1000000, Quantity.Format.DECIMAL_EXPONENT).toString());
    assertEquals("1024m", Quantity.of(new BigDecimal("1.024"), Quantity.Format.BINARY_SI).toString());
  }

  @Test
  void jsonIsAStringAndNumbersAreAccepted() throws Exception {
    assertEquals("\"500m\"", new String(Json.write(Quantity.parse("0.5"))));
    assertEquals(Quantity.parse("1"), Json.read("1".getBytes(), Quantity.class));
    assertEquals(Quantity.parse("500m"), Json.read("0.5".getBytes(), Quantity.class));
    assertEquals(Quantity.parse("1"), Json.read("\" 1 \"".getBytes(), Quantity.class));
  }
}
