package dev.pacific.controlplane.quorum.store;

import static dev.pacific.controlplane.quorum.store.KvFixture.b;
import static dev.pacific.controlplane.quorum.store.KvFixture.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.controlplane.quorum.raft.Entry;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** etcd v3 MVCC semantics: revisions, versions, ranges at a revision, deletes, transactions. */
class KvStoreTest {

  private final KvFixture kv = new KvFixture();

  @AfterEach
  void cleanUp() {
    kv.close();
  }

  private KeyValue get(String key) {
    return kv.store.get(b(key)).orElseThrow();
  }

  private List<String> keys(RangeResult r) {
    return r.kvs().stream().map(x -> s(x.key())).toList();
  }

  @Test
  void eachPutTakesTheNextRevisionAndCountsVersions() {
    assertEquals(new PutResult(1), kv.put("a", "1"));
    assertEquals(new PutResult(2), kv.put("a", "2"));
    assertEquals(new PutResult(3), kv.put("b", "1"));
    assertEquals(new KeyValue(b("a"), b("2"), 1, 2, 2), get("a"));
    assertEquals(new KeyValue(b("b"), b("1"), 3, 3, 1), get("b"));
    assertEquals(3, kv.store.revision());
  }

  @Test
  void deletionResetsTheVersionAndKeepsTheHistory() {
    kv.put("a", "1");
    assertEquals(new DeleteResult(2, 1), kv.run(new Delete(KeyRange.key(b("a")))));
    assertTrue(kv.store.get(b("a")).isEmpty());
    kv.put("a", "again");
    assertEquals(new KeyValue(b("a"), b("again"), 3, 3, 1), get("a"));
    assertEquals(List.of("a"), keys(kv.store.range(KeyRange.key(b("a")), 1, 0)));
    assertEquals(List.of(), keys(kv.store.range(KeyRange.key(b("a")), 2, 0)));
    List<Change> changes = kv.store.changesAfter(0, 100);
    assertEquals(List.of(Change.Type.PUT, Change.Type.DELETE, Change.Type.PUT),
        changes.stream().map(Change::type).toList());
    assertEquals(2, changes.get(1).kv().modRevision());
    assertEquals(1, kv.store.changesAfter(2, 100).size());
  }

  @Test
  void deletingNothingDoesNotTakeARevision() {
    kv.put("a", "1");
    assertEquals(new DeleteResult(1, 0), kv.run(new Delete(KeyRange.key(b("missing")))));
    assertEquals(1, kv.store.revision());
  }

  @Test
  void deletingAPrefixRemovesEveryKeyUnderItAtOneRevision() {
    kv.put("pods/a", "1");
    kv.put("pods/b", "1");
    kv.put("podsx", "1");
    assertEquals(new DeleteResult(4, 2), kv.run(new Delete(KeyRange.prefix(b("pods/")))));
    assertEquals(List.of("podsx"), keys(kv.store.range(KeyRange.prefix(b("pod")), 0, 0)));
    assertEquals(2, kv.store.changesAfter(3, 10).size());
  }

  @Test
  void rangeByPrefixHonoursTheLimitAndCountsEveryKey() {
    for (String k : List.of("r/c", "r/a", "r/b", "s/a")) {
      kv.put(k, k);
    }
    RangeResult r = kv.store.range(KeyRange.prefix(b("r/")), 0, 2);
    assertEquals(List.of("r/a", "r/b"), keys(r));
    assertTrue(r.more());
    assertEquals(3, r.count());
    assertEquals(4, r.revision());
    RangeResult all = kv.store.range(KeyRange.prefix(b("r/")), 0, 0);
    assertFalse(all.more());
    assertEquals(List.of("r/a", "r/b", "r/c"), keys(all));
    assertEquals(List.of("r/b", "r/c"), keys(kv.store.range(KeyRange.between(b("r/b"), b("s/a")), 0, 0)));
  }

  @Test
  void rangeAtAnOlderRevisionSeesTheStateOfThatRevision() {
    kv.put("k/a", "a1");
    kv.put("k/b", "b1");
    kv.put("k/a", "a2");
    kv.run(new Delete(KeyRange.key(b("k/b"))));
    kv.put("k/c", "c1");
    RangeResult at3 = kv.store.range(KeyRange.prefix(b("k/")), 3, 0);
    assertEquals(List.of("k/a", "k/b"), keys(at3));
    assertEquals("a2", s(at3.kvs().get(0).value()));
    assertEquals(5, at3.revision());
    RangeResult at2 = kv.store.range(KeyRange.prefix(b("k/")), 2, 1);
    assertEquals(List.of("k/a"), keys(at2));
    assertEquals("a1", s(at2.kvs().get(0).value()));
    assertTrue(at2.more());
    assertEquals(2, at2.count());
    assertEquals(List.of("k/a", "k/c"), keys(kv.store.range(KeyRange.prefix(b("k/")), 5, 0)));
    assertThrows(IllegalArgumentException.class, () -> kv.store.range(KeyRange.prefix(b("k/")), 6, 0));
  }

  @Test
  void keysWithZeroBytesKeepTheirOrderInTheHistory() {
    List<String> keys = List.of("a", "a\0", "a\0b", "a\u0001", "ab");
    for (String k : keys) {
      kv.put(k, k);
    }
    kv.put("zz", "later");
    assertEquals(keys, keys(kv.store.range(KeyRange.prefix(b("a")), 5, 0)));
    assertEquals(List.of("a\0", "a\0b"), keys(kv.store.range(KeyRange.prefix(b("a\0")), 5, 0)));
    assertEquals(List.of("a"), keys(kv.store.range(KeyRange.key(b("a")), 5, 0)));
  }

  @Test
  void txnWhoseComparesHoldRunsThenAtOneRevision() {
    kv.put("cfg", "v1");
    Txn txn = new Txn(List.of(Compare.modRevision(b("cfg"), Op.EQUAL, 1)),
        List.of(new Put(b("cfg"), b("v2")), new Put(b("audit"), b("x")), new Get(KeyRange.key(b("cfg")), 0)),
        List.of());
    TxnResult r = (TxnResult) kv.run(txn);
    assertTrue(r.succeeded());
    assertEquals(2, r.revision());
    assertEquals(new PutResult(2), r.results().get(0));
    RangeResult seen = (RangeResult) r.results().get(2);
    assertEquals("v2", s(seen.kvs().get(0).value()));
    assertEquals(2, get("cfg").modRevision());
    assertEquals(2, get("audit").modRevision());
    assertEquals(2, kv.store.changesAfter(1, 10).size());
  }

  @Test
  void txnWhoseComparesFailRunsElseAndWritingNothingKeepsTheRevision() {
    kv.put("cfg", "v1");
    kv.put("cfg", "v2");
    Txn cas = new Txn(List.of(Compare.modRevision(b("cfg"), Op.EQUAL, 1)),
        List.of(new Put(b("cfg"), b("v3"))), List.of(new Get(KeyRange.key(b("cfg")), 0)));
    TxnResult r = (TxnResult) kv.run(cas);
    assertFalse(r.succeeded());
    assertEquals(2, r.revision());
    assertEquals(2, ((RangeResult) r.results().get(0)).kvs().get(0).modRevision());
    assertEquals(2, kv.store.revision());
    assertEquals("v2", s(get("cfg").value()));
  }

  @Test
  void comparesOnAMissingKeySeeZeroButAValueCompareFails() {
    Txn createIfAbsent = new Txn(List.of(Compare.createRevision(b("lock"), Op.EQUAL, 0)),
        List.of(new Put(b("lock"), b("me"))), List.of());
    assertTrue(((TxnResult) kv.run(createIfAbsent)).succeeded());
    assertFalse(((TxnResult) kv.run(createIfAbsent)).succeeded());
    Txn valueOfMissing = new Txn(List.of(Compare.value(b("nope"), Op.NOT_EQUAL, b("x"))), List.of(), List.of());
    assertFalse(((TxnResult) kv.run(valueOfMissing)).succeeded());
  }

  @Test
  void compareOperatorsOrderValuesAndNumbers() {
    kv.put("k", "m");
    kv.put("k", "m");
    assertTrue(holds(Compare.value(b("k"), Op.GREATER, b("a"))));
    assertTrue(holds(Compare.value(b("k"), Op.LESS, b("z"))));
    assertTrue(holds(Compare.value(b("k"), Op.EQUAL, b("m"))));
    assertFalse(holds(Compare.value(b("k"), Op.NOT_EQUAL, b("m"))));
    assertTrue(holds(Compare.version(b("k"), Op.EQUAL, 2)));
    assertTrue(holds(Compare.version(b("k"), Op.GREATER, 1)));
    assertTrue(holds(Compare.modRevision(b("k"), Op.LESS, 3)));
    assertTrue(holds(Compare.createRevision(b("k"), Op.NOT_EQUAL, 2)));
  }

  private boolean holds(Compare c) {
    return ((TxnResult) kv.run(new Txn(List.of(c), List.of(), List.of()))).succeeded();
  }

  @Test
  void emptyEntriesOnlyAdvanceTheAppliedIndex() {
    kv.put("a", "1");
    List<Applied> answers = kv.store.applyBatch(List.of(new Entry(2, ++kv.index, new byte[0])));
    assertTrue(answers.isEmpty());
    assertEquals(2, kv.store.appliedIndex());
    assertEquals(1, kv.store.revision());
  }

  @Test
  void aMalformedEntryIsAnsweredNotThrownAndChangesNothing() {
    List<Applied> answers = kv.store.applyBatch(List.of(new Entry(1, ++kv.index, new byte[] {9, 9})));
    assertInstanceOf(Rejected.class, answers.get(0).result());
    assertEquals(KvResult.Reason.MALFORMED, ((Rejected) answers.get(0).result()).reason());
    assertEquals(1, kv.store.appliedIndex());
    assertEquals(0, kv.store.revision());
  }

  @Test
  void aBatchSeesTheWritesOfItsEarlierEntries() {
    Entry first = kv.entry(0, 0, new Put(b("a"), b("1")));
    Entry second = kv.entry(0, 0, new Txn(List.of(Compare.version(b("a"), Op.EQUAL, 1)),
        List.of(new Put(b("a"), b("2"))), List.of()));
    List<Applied> answers = kv.store.applyBatch(List.of(first, second));
    assertTrue(((TxnResult) answers.get(1).result()).succeeded());
    assertEquals(2, get("a").version());
    assertEquals(2, kv.store.appliedIndex());
  }

  @Test
  void anEntryThatSkipsAnIndexIsRefused() {
    kv.put("a", "1");
    Entry gap = new Entry(1, 5, KvCodec.encode(new Request(0, 0, 0, new Put(b("b"), b("1")))));
    assertThrows(IllegalArgumentException.class, () -> kv.store.applyBatch(List.of(gap)));
  }
}
