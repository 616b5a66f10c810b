package dev.pacific.controlplane.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.controlplane.persistence.ResourceKind;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Paths, continue tokens and generated names: the small pieces of the REST layer. */
class ApiPathTest {

  private static String describe(String path) {
    return ApiPath.parse(path).map(p -> p.type().kind().resource() + "|" + p.namespace() + "|" + p.name() + "|"
        + p.sub()).orElse("none");
  }

  @Test
  void theContractsPathsNameWhatTheyServe() {
    assertEquals("namespaces||null|NONE", describe("/namespaces"));
    assertEquals("namespaces||a|NONE", describe("/namespaces/a/"));
    assertEquals("namespaces||a|STATUS", describe("/namespaces/a/status"));
    assertEquals("pods|a|null|NONE", describe("/namespaces/a/pods"));
    assertEquals("pods|a|p|NONE", describe("/namespaces/a/pods/p"));
    assertEquals("pods|a|p|STATUS", describe("/namespaces/a/pods/p/status"));
    assertEquals("pods|a|p|LOG", describe("/namespaces/a/pods/p/log"));
    assertEquals("pods||null|NONE", describe("/pods"));
    assertEquals("resourcequotas|a|q|STATUS", describe("/namespaces/a/resourcequotas/q/status"));
    assertEquals("resourcequotas||null|NONE", describe("/resourcequotas"));
    assertEquals("nodes||n|STATUS", describe("/nodes/n/status"));
    assertTrue(ApiPath.parse("/pods").orElseThrow().isAllNamespaces());
    assertEquals(ResourceKind.PODS, ApiPath.parse("/namespaces/a/pods/p").orElseThrow().ref().kind());
  }

  @Test
  void pathsThatCouldReachAnotherKeyNameNothing() {
    for (String path : new String[] {"", "/", "/namespaces/a%2Fb", "/namespaces//pods", "/namespaces/a/pods/p/q/r",
        "/namespaces/a/services", "/pods/p", "/nodes/n/log", "/namespaces/a/resourcequotas/q/log",
        "/namespaces/a/pods/" + "x".repeat(254), "/namespaces/a/pods/%zz"}) {
      assertEquals("none", describe(path), path);
    }
    assertEquals("pods|a|p+q|NONE", describe("/namespaces/a/pods/p+q"), "a plus is a plus in a path");
  }

  @Test
  void continueTokensRoundTripAndForgeriesAreRefused() {
    ContinueToken token = new ContinueToken(42, "registry/pods/ns/name");
    Parsed<ContinueToken> back = ContinueToken.decode(token.encode());
    assertEquals(token, ((Parsed.Ok<ContinueToken>) back).value());
    for (String bad : new String[] {"x", "e30", "eyJ2IjoyLCJydiI6MSwic3RhcnQiOiJhIn0", // {"v":2,...}
        "eyJ2IjoxLCJydiI6LTEsInN0YXJ0IjoiYSJ9"}) { // {"v":1,"rv":-1,...}
      assertInstanceOf(Parsed.Bad.class, ContinueToken.decode(bad), bad);
    }
  }

  @Test
  void generatedNamesAreThePrefixCutTo58AndFiveConsonantsOrDigits() {
    NameGenerator names = new NameGenerator(new Random(1));
    assertTrue(names.generate("web-").matches("web-[bcdfghjklmnpqrstvwxz2456789]{5}"));
    String longName = names.generate("p".repeat(80));
    assertEquals(63, longName.length(), "never over a DNS label");
    assertTrue(longName.startsWith("p".repeat(58)));
  }
}
