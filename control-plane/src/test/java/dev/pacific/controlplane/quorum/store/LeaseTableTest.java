package dev.pacific.controlplane.quorum.store;

import static dev.pacific.controlplane.quorum.store.KvFixture.b;
import static dev.pacific.controlplane.quorum.store.KvFixture.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.controlplane.quorum.store.KvCommand.LeaseGrant;
import dev.pacific.controlplane.quorum.store.KvCommand.LeaseKeepAlive;
import dev.pacific.controlplane.quorum.store.KvCommand.LeaseRevoke;
import dev.pacific.controlplane.quorum.store.KvCommand.Put;
import dev.pacific.controlplane.quorum.store.KvResult.LeaseResult;
import dev.pacific.controlplane.quorum.store.KvResult.LeaseRevoked;
import dev.pacific.controlplane.quorum.store.KvResult.Reason;
import dev.pacific.controlplane.quorum.store.KvResult.Rejected;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The lease table of the state machine (etcd's lessor, minus the clock): grant, attach, revoke. */
class LeaseTableTest {

  private final KvFixture kv = new KvFixture();

  @AfterEach
  void cleanUp() {
    kv.close();
  }

  private KvResult putWithLease(String key, long lease) {
    return kv.run(new Put(b(key), b("v"), lease));
  }

  @Test
  void revokeDeletesEveryAttachedKeyAtOneRevision() {
    assertEquals(new LeaseResult(7, 5_000, 0), kv.run(new LeaseGrant(7, 5_000)));
    putWithLease("hosts/a", 7);
    putWithLease("hosts/b", 7);
    kv.put("other", "x");
    assertEquals(new LeaseRevoked(7, 2, 4), kv.run(new LeaseRevoke(7)));
    assertTrue(kv.store.get(b("hosts/a")).isEmpty());
    assertTrue(kv.store.get(b("hosts/b")).isEmpty());
    assertEquals("x", s(kv.store.get(b("other")).orElseThrow().value()));
    List<Change> deletions = kv.store.changesAfter(3, 10);
    assertEquals(2, deletions.size());
    assertTrue(deletions.stream().allMatch(c -> c.type() == Change.Type.DELETE && c.kv().modRevision() == 4));
    assertEquals(Map.of(), kv.store.leases());
  }

  @Test
  void aPutWithoutTheLeaseOrADeleteDetachesTheKey() {
    kv.run(new LeaseGrant(1, 5_000));
    putWithLease("a", 1);
    putWithLease("b", 1);
    kv.put("a", "plain");
    kv.run(new KvCommand.Delete(KeyRange.key(b("b"))));
    assertEquals(List.of(), kv.store.leaseKeys(1));
    assertEquals(new LeaseRevoked(1, 0, 4), kv.run(new LeaseRevoke(1)), "nothing attached: no new revision");
    assertEquals("plain", s(kv.store.get(b("a")).orElseThrow().value()));
  }

  @Test
  void unknownLeasesShortTtlsAndDuplicatesAreRefusedWithAReason() {
    assertEquals(Reason.LEASE_NOT_FOUND, ((Rejected) putWithLease("a", 9)).reason());
    assertTrue(kv.store.get(b("a")).isEmpty(), "a refused put writes nothing");
    assertEquals(Reason.LEASE_NOT_FOUND, ((Rejected) kv.run(new LeaseKeepAlive(9))).reason());
    assertEquals(Reason.LEASE_NOT_FOUND, ((Rejected) kv.run(new LeaseRevoke(9))).reason());
    Rejected shortTtl = (Rejected) kv.run(new LeaseGrant(9, 100));
    assertEquals(Reason.TTL_TOO_SHORT, shortTtl.reason());
    assertTrue(shortTtl.message().contains("minimum of " + KvSettings.DEFAULT.minLeaseTtlMillis()), shortTtl.message());
    kv.run(new LeaseGrant(9, 5_000));
    assertEquals(Reason.LEASE_EXISTS, ((Rejected) kv.run(new LeaseGrant(9, 5_000))).reason());
    assertEquals(new LeaseResult(9, 5_000, 0), kv.run(new LeaseKeepAlive(9)));
  }

  @Test
  void theLeaseTableSurvivesRestartAndSnapshotAndIsInTheStateHash() {
    String empty = kv.store.stateHash();
    kv.run(new LeaseGrant(3, 4_000));
    assertNotEquals(empty, kv.store.stateHash());
    putWithLease("k", 3);
    String hash = kv.store.stateHash();
    kv.reopen();
    assertEquals(hash, kv.store.stateHash());
    assertEquals(Map.of(3L, 4_000L), kv.store.leases());
    try (KvFixture other = new KvFixture()) {
      other.store.restore(kv.store.snapshot());
      other.index = kv.index; // the next entry follows the snapshot
      assertEquals(hash, other.store.stateHash());
      assertEquals(1, other.run(new LeaseRevoke(3)) instanceof LeaseRevoked r ? r.deleted() : -1);
    }
  }

  @Test
  void leaseCommandsSurviveTheCodec() {
    for (KvCommand c : List.of(new LeaseGrant(1, 2), new LeaseKeepAlive(3), new LeaseRevoke(4),
        new KvCommand.Compact(5))) {
      assertEquals(c, KvCodec.decodeRequest(KvCodec.encode(new Request(1, 2, 3, c))).command());
    }
    Put p = (Put) KvCodec.decodeRequest(KvCodec.encode(new Request(1, 2, 3, new Put(b("k"), b("v"), 42)))).command();
    assertEquals(42, p.lease());
    byte[] plain = KvCodec.encode(new Request(1, 2, 3, new Put(b("k"), b("v"))));
    assertEquals(1, plain[25], "a put without a lease keeps format 1's tag");
  }
}
