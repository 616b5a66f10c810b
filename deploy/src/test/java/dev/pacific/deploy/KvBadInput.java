package dev.pacific.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * {@code /admin/v1/kv} against what a client can get wrong (CONTRACT.md): every error is a JSON
 * Kubernetes {@code Status} with the HTTP code in it, never a 5xx or plain text. Run by
 * {@link QuorumIT} on its cluster, so it costs no cluster of its own.
 */
final class KvBadInput {

  /** CONTRACT.md: values up to 1.5 MiB; larger ones get 413. */
  private static final int MAX_VALUE = 3 * 512 * 1024;

  private KvBadInput() {}

  static void check(Kv kv) {
    assertStatus(404, kv.get("bad/never-written"), "GET of a missing key");
    casAndDeleteAnswerAsTheContractSays(kv);
    oversizedValuesGet413AndTheLimitItselfIsAccepted(kv);
    aMalformedPrevRevisionIs400(kv);
    keysWithSlashesAndBinaryValuesRoundTrip(kv);
  }

  private static void casAndDeleteAnswerAsTheContractSays(Kv kv) {
    String key = "bad/cas";
    long r1 = ok(kv.put(key, "one"), "first put").revision();
    long r2 = ok(kv.put(key, "two"), "second put").revision();
    assertTrue(r2 > r1, "revisions grow: " + r1 + " then " + r2);
    Kv.Answer stale = kv.cas(key, "three", r1);
    assertStatus(409, stale, "CAS with a stale prevRevision");
    JsonNode current = stale.body().path("details").findValue("modRevision");
    assertNotNull(current, "the 409 Status carries the current modRevision in details: " + stale.body());
    assertEquals(r2, current.asLong(), "details.modRevision is the key's current mod revision: " + stale.body());
    assertStatus(409, kv.cas(key, "three", 0), "CAS with prevRevision=0 (must not exist) on an existing key");
    Kv.Answer read = ok(kv.get(key), "GET after the failed CASes");
    assertEquals("two", read.value(), "a failed CAS changes nothing");
    assertEquals(r2, read.modRevision(), "modRevision is that of the last put");
    long r3 = ok(kv.cas(key, "three", r2), "CAS with the current prevRevision").revision();
    assertTrue(r3 > r2, "a successful CAS gets a new revision");
    assertEquals(r3, ok(kv.get(key), "GET after the CAS").modRevision());
    ok(kv.cas("bad/created-by-cas", "x", 0), "CAS with prevRevision=0 creates a missing key");
    ok(kv.delete(key), "DELETE of an existing key");
    assertStatus(404, kv.get(key), "GET after DELETE");
    assertStatus(404, kv.delete(key), "DELETE of a missing key");
  }

  private static void oversizedValuesGet413AndTheLimitItselfIsAccepted(Kv kv) {
    byte[] limit = new byte[MAX_VALUE];
    Arrays.fill(limit, (byte) 'x');
    ok(kv.put("bad/at-limit", limit, ""), "PUT of a value of exactly 1.5 MiB");
    byte[] over = Arrays.copyOf(limit, MAX_VALUE + 1);
    over[MAX_VALUE] = 'x';
    assertStatus(413, kv.putExpectingContinue("bad/over-limit", over), "PUT of a value one byte over 1.5 MiB");
    assertStatus(404, kv.get("bad/over-limit"), "the oversized value was not stored");
    assertEquals(MAX_VALUE, ok(kv.get("bad/at-limit"), "GET of the 1.5 MiB value").value().length());
  }

  private static void aMalformedPrevRevisionIs400(Kv kv) {
    byte[] v = "v".getBytes(StandardCharsets.UTF_8);
    assertStatus(400, kv.put("bad/prev", v, "?prevRevision=abc"), "prevRevision=abc");
    assertStatus(404, kv.get("bad/prev"), "a rejected PUT stores nothing");
  }

  private static void keysWithSlashesAndBinaryValuesRoundTrip(Kv kv) {
    ok(kv.put("registry/pods/default/web-1", "pod"), "PUT of a key with slashes (sent as %2F)");
    assertEquals("pod", ok(kv.get("registry/pods/default/web-1"), "GET of a key with slashes").value());
    byte[] binary = {(byte) 0xff, (byte) 0xfe, 0, 1, 2};
    ok(kv.put("bad/binary", binary, ""), "PUT of a value that is not UTF-8");
    Kv.Answer b = ok(kv.get("bad/binary"), "GET of a value that is not UTF-8");
    assertEquals(Base64.getEncoder().encodeToString(binary), b.body().path("valueBase64").asText(),
        "a value that is not UTF-8 comes back in valueBase64: " + b.body());
  }

  private static Kv.Answer ok(Kv.Answer a, String what) {
    assertNotNull(a, what + ": no answer");
    assertEquals(200, a.code(), what + ": " + a.body());
    return a;
  }

  /** The contract's error shape: a JSON Status, status Failure, with the HTTP code inside. */
  private static void assertStatus(int code, Kv.Answer a, String what) {
    assertNotNull(a, what + ": no answer");
    assertEquals(code, a.code(), what + ": " + a.body());
    assertEquals("Status", a.body().path("kind").asText(), what + ": the body is a Status: " + a.body());
    assertEquals("Failure", a.body().path("status").asText(), what + ": " + a.body());
    assertEquals(code, a.body().path("code").asInt(), what + ": the Status carries the code: " + a.body());
  }
}
