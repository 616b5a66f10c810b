package dev.pacific.controlplane.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** A client left idle past the state machine's session TTL still writes: it does not reuse a forgotten session. */
class QuorumClientSessionTest {

  @Test
  void aClientIdleLongerThanTheSessionTtlWritesInANewSession() throws Exception {
    try (OneMemberQuorum q = new OneMemberQuorum(MonotonicClock.SYSTEM, """
        pacific.quorum.store.session-ttl = 1s
        pacific.quorum.client.session-idle-max = 500ms
        """)) {
      OneMemberQuorum.await(q.kv.put(b("k"), b("1"), OptionalLong.empty()));
      Thread.sleep(1_500); // the session expires with the next entry the state machine applies
      OneMemberQuorum.await(q.kv.put(b("k"), b("2"), OptionalLong.empty()));
      assertEquals("2", new String(OneMemberQuorum.await(q.kv.get(b("k"))).orElseThrow().value(),
          StandardCharsets.UTF_8));
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
