package dev.pacific.controlplane.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Label and field selectors parse and match as apimachinery's {@code labels.Parse} and {@code fields.ParseSelector}. */
class SelectorsTest {

  private static LabelSelector labels(String text) {
    Parsed<LabelSelector> parsed = LabelSelector.parse(text);
    assertInstanceOf(Parsed.Ok.class, parsed, text);
    return ((Parsed.Ok<LabelSelector>) parsed).value();
  }

  private static FieldSelector fields(String text) {
    Parsed<FieldSelector> parsed = FieldSelector.parse(text, Set.of("spec.nodeName", "status.phase"));
    assertInstanceOf(Parsed.Ok.class, parsed, text);
    return ((Parsed.Ok<FieldSelector>) parsed).value();
  }

  @Test
  void everyLabelOperatorMatchesAsKubernetesDoes() {
    Map<String, String> web = Map.of("app", "web", "tier", "front", "n", "3");
    Map<String, String> none = Map.of();
    assertTrue(labels("app=web").matches(web));
    assertTrue(labels("app == web").matches(web));
    assertFalse(labels("app!=web").matches(web));
    assertTrue(labels("app!=web").matches(none), "!= selects objects without the key");
    assertTrue(labels("tier in (front,back)").matches(web));
    assertFalse(labels("tier notin (front)").matches(web));
    assertTrue(labels("tier notin (front)").matches(none));
    assertTrue(labels("tier").matches(web));
    assertFalse(labels("!tier").matches(web));
    assertTrue(labels("n>2,n<4").matches(web));
    assertFalse(labels("n>3").matches(web));
    assertTrue(labels("app=web, tier in (front)").matches(web), "requirements are ANDed, spaces allowed");
    assertTrue(labels("").matches(none));
    assertTrue(labels("example.com/role=db").matches(Map.of("example.com/role", "db")), "prefixed keys");
    assertTrue(labels("a=").matches(Map.of("a", "")), "an empty value is a value");
  }

  @Test
  void malformedLabelSelectorsNameTheParameter() {
    for (String bad : new String[] {"a in b", "=x", "a=b=c", "-a=b", "a in (x", "a>b", "a notin", "a,,b", "a=b c",
        "a=" + "v".repeat(64)}) {
      Parsed<LabelSelector> parsed = LabelSelector.parse(bad);
      assertInstanceOf(Parsed.Bad.class, parsed, bad);
      var status = ((Parsed.Bad<LabelSelector>) parsed).status();
      assertEquals(400, status.code());
      assertTrue(status.message().startsWith("labelSelector: unable to parse requirement"), status.message());
    }
  }

  @Test
  void fieldSelectorsCompareWithEmptyForAbsentFieldsAndHonourEscapes() {
    Map<String, String> bound = Map.of("metadata.name", "a,b", "spec.nodeName", "host-1");
    assertTrue(fields("spec.nodeName=host-1").matches(bound::get));
    assertTrue(fields("spec.nodeName==host-1").matches(bound::get));
    assertFalse(fields("spec.nodeName!=host-1").matches(bound::get));
    assertTrue(fields("spec.nodeName=").matches(Map.<String, String>of()::get), "absent compares as empty");
    assertTrue(fields("metadata.name=a\\,b,spec.nodeName=host-1").matches(bound::get), "\\, escapes a comma");
  }

  @Test
  void unsupportedFieldsAndOperatorsAreRefused() {
    for (String bad : new String[] {"spec.foo=x", "metadata.name", "metadata.name in (a)", "a=b=c"}) {
      Parsed<FieldSelector> parsed = FieldSelector.parse(bad, Set.of("spec.nodeName"));
      assertInstanceOf(Parsed.Bad.class, parsed, bad);
      assertTrue(((Parsed.Bad<FieldSelector>) parsed).status().message().startsWith("fieldSelector: "));
    }
  }
}
