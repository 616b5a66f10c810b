package dev.pacific.controlplane.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pacific.api.Json;
import org.junit.jupiter.api.Test;

/** RFC 7386's own examples (Appendix A), and what is not a merge patch. */
class MergePatchTest {

  private static JsonNode j(String json) throws Exception {
    return Json.mapper().readTree(json.replace('\'', '"'));
  }

  private static void example(String target, String patch, String result) throws Exception {
    assertEquals(j(result), MergePatch.apply(j(target), j(patch)), target + " + " + patch);
  }

  @Test
  void rfc7386AppendixA() throws Exception {
    example("{'a':'b'}", "{'a':'c'}", "{'a':'c'}");
    example("{'a':'b'}", "{'b':'c'}", "{'a':'b','b':'c'}");
    example("{'a':'b'}", "{'a':null}", "{}");
    example("{'a':'b','b':'c'}", "{'a':null}", "{'b':'c'}");
    example("{'a':['b']}", "{'a':'c'}", "{'a':'c'}");
    example("{'a':'c'}", "{'a':['b']}", "{'a':['b']}");
    example("{'a':{'b':'c'}}", "{'a':{'b':'d','c':null}}", "{'a':{'b':'d'}}");
    example("{'a':[{'b':'c'}]}", "{'a':[1]}", "{'a':[1]}");
    example("['a','b']", "['c','d']", "['c','d']");
    example("{'a':'b'}", "['c']", "['c']");
    example("{'a':'foo'}", "null", "null");
    example("{'a':'foo'}", "'bar'", "'bar'");
    example("{'e':null}", "{'a':1}", "{'e':null,'a':1}");
    example("[1,2]", "{'a':'b','c':null}", "{'a':'b'}");
    example("{}", "{'a':{'bb':{'ccc':null}}}", "{'a':{'bb':{}}}");
  }

  @Test
  void theTargetIsNotChanged() throws Exception {
    JsonNode target = j("{'a':{'b':1}}");
    MergePatch.apply(target, j("{'a':{'b':2}}"));
    assertEquals(j("{'a':{'b':1}}"), target);
  }

  @Test
  void onlyOneJsonObjectIsAPatchDocument() {
    for (String bad : new String[] {"[1]", "null", "\"x\"", "{", "{} {}", "", "{\"a\":" + "[".repeat(100) + "]".repeat(100)
        + "}"}) {
      assertInstanceOf(Parsed.Bad.class, MergePatch.parse(bad.getBytes(java.nio.charset.StandardCharsets.UTF_8)), bad);
    }
    assertInstanceOf(Parsed.Ok.class, MergePatch.parse("{\"a\":null}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }
}
