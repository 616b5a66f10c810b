package dev.pacific.controlplane.quorum.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides whether a history of operations is linearizable (Herlihy and Wing,
 * 1990) with the search of Wing and Gong (1993) as improved by Lowe (2017):
 * walk the history in time order, tentatively linearize an operation whose
 * call has been seen, backtrack when an operation's return is reached before
 * it was linearized, and never revisit a (set of linearized operations, model
 * state) pair. Like Porcupine, the history is split per key first, since
 * operations on different keys commute; each key is searched on its own.
 *
 * <p>The search is exponential in the worst case, so it stops at a time budget
 * and says {@link Verdict#UNKNOWN} rather than hang a test run.
 */
public final class LinearizabilityChecker {

    private LinearizabilityChecker() {
    }

    public static <S> CheckResult check(Model<S> model, List<Operation> history, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        Map<String, List<Operation>> byKey = new TreeMap<>();
        for (Operation op : history) {
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, List<Operation>> e : byKey.entrySet()) {
            CheckResult r = new KeySearch<>(model, e.getValue(), deadline).run();
            if (r.verdict() == Verdict.NOT_LINEARIZABLE) {
                return new CheckResult(Verdict.NOT_LINEARIZABLE, "key " + e.getKey() + ": " + r.explanation());
            }
            if (r.verdict() == Verdict.UNKNOWN) {
                unknown.add(e.getKey());
            }
        }
        if (!unknown.isEmpty()) {
            return new CheckResult(Verdict.UNKNOWN, "ran out of the " + budget.toMillis()
                    + " ms budget on keys " + unknown);
        }
        return new CheckResult(Verdict.LINEARIZABLE, history.size() + " operations on " + byKey.size() + " keys");
    }
}
