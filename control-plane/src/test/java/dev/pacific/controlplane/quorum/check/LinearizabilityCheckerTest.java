package dev.pacific.controlplane.quorum.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.controlplane.quorum.check.RegisterOp.Cas;
import dev.pacific.controlplane.quorum.check.RegisterOp.Get;
import dev.pacific.controlplane.quorum.check.RegisterOp.Put;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {

    private static final Duration BUDGET = Duration.ofSeconds(10);
    private final List<Operation> ops = new ArrayList<>();

    private void op(int client, RegisterOp input, Object output, long call, long ret) {
        ops.add(new Operation(ops.size(), client, input.key(), input, output, call, ret));
    }

    private void timedOut(int client, RegisterOp input, long call) {
        ops.add(new Operation(ops.size(), client, input.key(), input, null, call, Operation.NEVER));
    }

    private CheckResult check() {
        return LinearizabilityChecker.check(new RegisterModel(), ops, BUDGET);
    }

    @Test
    void aSequentialHistoryIsLinearizable() {
        op(1, new Put("x", "1"), null, 0, 1);
        op(1, new Get("x"), "1", 2, 3);
        op(1, new Cas("x", "1", "2"), true, 4, 5);
        op(1, new Cas("x", "1", "3"), false, 6, 7);
        op(1, new Get("x"), "2", 8, 9);
        op(1, new Get("y"), null, 10, 11);
        assertEquals(Verdict.LINEARIZABLE, check().verdict());
    }

    @Test
    void concurrentOperationsMayTakeEffectInEitherOrder() {
        op(1, new Put("x", "1"), null, 0, 10);
        op(2, new Put("x", "2"), null, 1, 9);
        op(3, new Get("x"), "1", 11, 12);
        op(4, new Get("x"), "2", 2, 8);
        assertEquals(Verdict.LINEARIZABLE, check().verdict(), "put 2, read 2, put 1, read 1");
    }

    @Test
    void aStaleReadIsNotLinearizable() {
        op(1, new Put("x", "1"), null, 0, 1);
        op(1, new Put("x", "2"), null, 2, 3);
        op(2, new Get("x"), "1", 4, 5);
        CheckResult r = check();
        assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict());
        assertTrue(r.explanation().startsWith("key x"), r.explanation());
        assertTrue(r.explanation().contains("Get[key=x] -> 1"), r.explanation());
    }

    @Test
    void aLostWriteIsNotLinearizable() {
        op(1, new Put("x", "1"), null, 0, 1);
        op(2, new Put("x", "2"), null, 2, 3);
        op(3, new Get("x"), "2", 4, 5);
        op(3, new Get("x"), "1", 6, 7);
        assertEquals(Verdict.NOT_LINEARIZABLE, check().verdict());
    }

    @Test
    void aCompareAndSwapThatSucceedsTwiceIsNotLinearizable() {
        op(1, new Put("x", "0"), null, 0, 1);
        op(2, new Cas("x", "0", "a"), true, 2, 6);
        op(3, new Cas("x", "0", "b"), true, 3, 5);
        assertEquals(Verdict.NOT_LINEARIZABLE, check().verdict());
    }

    @Test
    void keysAreCheckedApartAndTheFailingOneIsNamed() {
        op(1, new Put("a", "1"), null, 0, 1);
        op(1, new Get("a"), "1", 2, 3);
        op(2, new Put("b", "1"), null, 0, 1);
        op(2, new Get("b"), null, 2, 3);
        CheckResult r = check();
        assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict());
        assertTrue(r.explanation().startsWith("key b"), r.explanation());
    }

    @Test
    void anIndeterminateWriteMayHaveTakenEffect() {
        op(1, new Put("x", "1"), null, 0, 1);
        timedOut(2, new Put("x", "2"), 2);
        op(3, new Get("x"), "2", 10, 11);
        op(3, new Get("x"), "2", 12, 13);
        assertEquals(Verdict.LINEARIZABLE, check().verdict());
    }

    @Test
    void anIndeterminateWriteMayNeverHaveTakenEffect() {
        op(1, new Put("x", "1"), null, 0, 1);
        timedOut(2, new Put("x", "2"), 2);
        timedOut(2, new Cas("x", "9", "3"), 3);
        op(3, new Get("x"), "1", 10, 11);
        assertEquals(Verdict.LINEARIZABLE, check().verdict());
    }

    @Test
    void anIndeterminateWriteCannotTakeEffectTwice() {
        op(1, new Put("x", "1"), null, 0, 1);
        timedOut(2, new Put("x", "2"), 2);
        op(3, new Get("x"), "2", 10, 11);
        op(3, new Get("x"), "1", 12, 13);
        assertEquals(Verdict.NOT_LINEARIZABLE, check().verdict());
    }

    @Test
    void anIndeterminateWriteCannotTakeEffectBeforeItWasCalled() {
        op(1, new Put("x", "1"), null, 0, 1);
        op(3, new Get("x"), "2", 2, 3);
        timedOut(2, new Put("x", "2"), 4);
        assertEquals(Verdict.NOT_LINEARIZABLE, check().verdict());
    }

    @Test
    void theTimeBudgetGivesUnknownRatherThanHanging() {
        for (int i = 0; i < 40; i++) {
            op(i, new Put("x", "v" + i), null, 0, 100);
        }
        op(99, new Get("x"), "never written", 1, 99);
        long start = System.nanoTime();
        CheckResult r = LinearizabilityChecker.check(new RegisterModel(), ops, Duration.ofMillis(200));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Verdict.UNKNOWN, r.verdict(), r.toString());
        // The point is that it returns at all; the bound is far above the 200 ms budget so a slow machine passes.
        System.out.println("checker gave up after " + millis + " ms on a 200 ms budget");
        assertTrue(millis < 30_000, "took " + millis + " ms");
    }

    @Test
    void theMemoryBudgetGivesUnknownRatherThanExhaustingTheHeap() {
        for (int i = 0; i < 40; i++) {
            timedOut(i, new Put("x", "v" + i), 0);
        }
        op(99, new Get("x"), "never written", 1, 99);
        CheckResult r = LinearizabilityChecker.check(new RegisterModel(), ops, Duration.ofMinutes(10), 1_000_000);
        assertEquals(Verdict.UNKNOWN, r.verdict(), r.toString());
        assertTrue(r.explanation().contains("memory budget exhausted"), r.explanation());
    }
}
