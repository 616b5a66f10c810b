package dev.pacific.controlplane.quorum.store;

import static dev.pacific.controlplane.quorum.store.KvFixture.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.controlplane.quorum.store.KvCommand.Compare;
import dev.pacific.controlplane.quorum.store.KvCommand.Delete;
import dev.pacific.controlplane.quorum.store.KvCommand.Get;
import dev.pacific.controlplane.quorum.store.KvCommand.Op;
import dev.pacific.controlplane.quorum.store.KvCommand.Put;
import dev.pacific.controlplane.quorum.store.KvCommand.Txn;
import dev.pacific.controlplane.quorum.store.KvResult.DeleteResult;
import dev.pacific.controlplane.quorum.store.KvResult.PutResult;
import dev.pacific.controlplane.quorum.store.KvResult.RangeResult;
import dev.pacific.controlplane.quorum.store.KvResult.Rejected;
import dev.pacific.controlplane.quorum.store.KvResult.TxnResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class KvCodecTest {

  @Test
  void requestsSurviveARoundTrip() {
    Txn txn = new Txn(
        List.of(Compare.modRevision(b("k"), Op.EQUAL, 7), Compare.value(b("v"), Op.GREATER, new byte[] {0, -1})),
        List.of(new Put(b("k"), b("v")), new Delete(KeyRange.prefix(b("p/"))), new Get(KeyRange.key(b("k")), 3)),
        List.of(new Get(KeyRange.between(b("a"), new byte[0]), 0), new Get(KeyRange.prefix(b("p/")), 5, 42)));
    for (KvCommand c : List.of(new Put(b("k"), new byte[0]), new Delete(KeyRange.key(b("k"))), txn)) {
      Request r = new Request(Long.MAX_VALUE, 12, 1_700_000_000_000L, c);
      byte[] bytes = KvCodec.encode(r);
      Request back = KvCodec.decodeRequest(bytes);
      assertEquals(r.clientId(), back.clientId());
      assertEquals(r.seq(), back.seq());
      assertEquals(r.leaderTimeMillis(), back.leaderTimeMillis());
      assertArrayEquals(bytes, KvCodec.encode(back));
    }
  }

  @Test
  void resultsSurviveARoundTrip() {
    KeyValue kv = new KeyValue(b("k"), b("v"), 1, 2, 3);
    List<KvResult> results = List.of(new PutResult(4), new DeleteResult(5, 2),
        new RangeResult(List.of(kv, kv), true, 9, 6),
        new TxnResult(false, 7, List.of(new PutResult(7), new RangeResult(List.of(), false, 0, 7))),
        new Rejected(KvResult.Reason.STALE_SEQUENCE, "older"));
    for (KvResult r : results) {
      assertEquals(r, KvCodec.decodeResult(KvCodec.encode(r)));
    }
  }

  @Test
  void aGetAtARevisionKeepsItsRevisionAndALatestGetKeepsFormatOnesBytes() {
    Get at = new Get(KeyRange.prefix(b("registry/pods/")), 500, 77);
    Txn txn = new Txn(List.of(), List.of(at), List.of());
    Txn back = (Txn) KvCodec.decodeRequest(KvCodec.encode(new Request(1, 1, 1, txn))).command();
    Get read = (Get) back.success().get(0);
    assertEquals(77, read.revision());
    assertEquals(500, read.limit());
    byte[] latest = KvCodec.encode(new Request(1, 1, 1, new Txn(List.of(), List.of(new Get(KeyRange.key(b("k")), 1)),
        List.of())));
    byte[] latestAtZero = KvCodec.encode(new Request(1, 1, 1, new Txn(List.of(),
        List.of(new Get(KeyRange.key(b("k")), 1, KvCommand.LATEST)), List.of())));
    assertArrayEquals(latest, latestAtZero);
  }

  @Test
  void aPutIsCompact() {
    byte[] bytes = KvCodec.encode(new Request(1, 1, 1, new Put(b("registry/pods/ns/name"), new byte[256])));
    assertTrue(bytes.length < 256 + 21 + 40, "request of " + bytes.length + " bytes");
  }

  @Test
  void garbageIsRefusedWithAnIllegalArgument() {
    assertThrows(IllegalArgumentException.class, () -> KvCodec.decodeRequest(new byte[] {1, 2, 3}));
    assertThrows(IllegalArgumentException.class, () -> KvCodec.decodeResult(new byte[] {3, 127, 127, 127, 127}));
    byte[] good = KvCodec.encode(new Request(1, 1, 1, new Put(b("k"), b("v"))));
    byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
    assertThrows(IllegalArgumentException.class, () -> KvCodec.decodeRequest(longer));
  }
}
