package dev.pacific.deploy.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.controlplane.quorum.check.LinearizabilityChecker;
import dev.pacific.controlplane.quorum.check.Operation;
import dev.pacific.controlplane.quorum.check.RegisterModel;
import dev.pacific.controlplane.quorum.check.RegisterOp.Cas;
import dev.pacific.controlplane.quorum.check.RegisterOp.Get;
import dev.pacific.controlplane.quorum.check.RegisterOp.Put;
import dev.pacific.controlplane.quorum.check.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenWritesTest {

  private final List<Operation> ops = new ArrayList<>();
  private final List<KvWatch.Event> watched = new ArrayList<>();

  private Operation op(Object input, Object output, long call, long ret) {
    String key = input instanceof Put p ? p.key() : input instanceof Cas c ? c.key() : ((Get) input).key();
    Operation o = new Operation(ops.size(), ops.size(), key, input, output, call, ret);
    ops.add(o);
    return o;
  }

  private void watched(String key, String value, long revision, long at) {
    watched.add(new KvWatch.Event("PUT", key, value, revision, 1, at));
  }

  private Verdict verdict(List<Operation> history) {
    return LinearizabilityChecker.check(new RegisterModel(), history, Duration.ofSeconds(10)).verdict();
  }

  @Test
  void anOpenWriteTheWatchSawTookEffectNoLaterThanTheEventArrived() {
    Operation put = op(new Put("k", "a"), null, 10, Operation.NEVER);
    Operation cas = op(new Cas("k", "a", "b"), null, 20, Operation.NEVER);
    watched("k", "a", 5, 15);
    watched("k", "b", 6, 25);

    OpenWrites.Settled s = OpenWrites.settle(ops, watched);

    assertEquals(2, s.tookEffect());
    assertEquals(List.of(new Operation(put.id(), put.clientId(), "k", put.input(), null, 10, 15),
        new Operation(cas.id(), cas.clientId(), "k", cas.input(), true, 20, 25)), s.operations());
    assertTrue(s.anomalies().isEmpty());
  }

  @Test
  void anOpenWriteTheWatchNeverSawIsLeftOut() {
    op(new Put("k", "a"), null, 10, Operation.NEVER);
    op(new Cas("k", "x", "c"), null, 12, Operation.NEVER);
    Operation get = op(new Get("k"), null, 30, 31);

    OpenWrites.Settled s = OpenWrites.settle(ops, watched);

    assertEquals(2, s.neverTookEffect());
    assertEquals(List.of(get), s.operations());
  }

  @Test
  void aValueWatchedBeforeItsWriteWasCalledIsAnAnomalyAndTheWriteStaysOpen() {
    Operation put = op(new Put("k", "a"), null, 10, Operation.NEVER);
    watched("k", "a", 5, 9);

    OpenWrites.Settled s = OpenWrites.settle(ops, watched);

    assertEquals(List.of(put), s.operations());
    assertEquals(1, s.anomalies().size(), s.anomalies().toString());
  }

  @Test
  void completedOperationsAndOpenReadsAreUntouched() {
    op(new Put("k", "a"), null, 1, 2);
    op(new Get("k"), "a", 3, 4);
    op(new Get("k"), null, 5, Operation.NEVER);
    watched("k", "a", 5, 2);

    OpenWrites.Settled s = OpenWrites.settle(ops, watched);

    assertEquals(ops, s.operations());
    assertEquals(0, s.tookEffect() + s.neverTookEffect());
  }

  @Test
  void settlingStillExposesALostAcknowledgedWrite() {
    op(new Put("k", "a"), null, 1, 2);
    op(new Put("k", "b"), null, 3, 4);
    op(new Put("k", "c"), null, 5, Operation.NEVER);
    op(new Get("k"), "a", 10, 11);
    watched("k", "a", 5, 2);
    watched("k", "c", 7, 6);

    List<Operation> settled = OpenWrites.settle(ops, watched).operations();

    assertEquals(Verdict.NOT_LINEARIZABLE, verdict(settled));
    assertFalse(settled.stream().anyMatch(Operation::indeterminate));
  }

  @Test
  void manyOpenWritesSettleIntoAHistoryTheSearchDecidesQuickly() {
    // 60 clients' writes all timed out on one key, half of them took effect: unsettled, the search
    // faces 2^60 subsets; settled, it is a plain history.
    long t = 0;
    for (int i = 0; i < 60; i++) {
      op(new Put("k", "v" + i), null, t, Operation.NEVER);
      if (i % 2 == 0) {
        watched("k", "v" + i, i + 1, t + 1000);
      }
    }
    op(new Get("k"), "v58", 5000, 5001);

    OpenWrites.Settled s = OpenWrites.settle(ops, watched);

    assertEquals(30, s.tookEffect());
    assertEquals(30, s.neverTookEffect());
    assertEquals(Verdict.LINEARIZABLE, verdict(s.operations()));
  }

  @Test
  void aValueSentAgainByARetryingClientNamesNoSingleWrite() {
    op(new Put("k", "a"), null, 10, Operation.NEVER);
    Operation retry = op(new Put("k", "a"), null, 20, Operation.NEVER);
    Operation late = op(new Put("k", "a"), null, 40, Operation.NEVER);
    watched("k", "a", 5, 30);

    OpenWrites.Settled s = OpenWrites.settle(ops, watched);

    assertEquals(ops.subList(0, 2), s.operations(), "either of the first two may have made the event: both stay open");
    assertEquals(1, s.neverTookEffect(), "the value was never watched after " + late + " was called");
    assertTrue(s.anomalies().isEmpty(), s.anomalies().toString());
    assertTrue(retry.indeterminate());
  }
}
