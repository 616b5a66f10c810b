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
 * <p>The search is exponential in the worst case, so it stops at a time budget,
 * or when the configurations it remembers would fill about a quarter of the
 * heap, and says {@link Verdict#UNKNOWN} rather than hang a test run or starve
 * the JVM's other threads of memory.
 */
public final class LinearizabilityChecker {

    private LinearizabilityChecker() {
    }

    public static <S> CheckResult check(Model<S> model, List<Operation> history, Duration budget) {
        return check(model, history, budget, Runtime.getRuntime().maxMemory() / 4);
    }

    /** As {@link #check(Model, List, Duration)}, remembering configurations worth at most about {@code memoBytes}. */
    public static <S> CheckResult check(Model<S> model, List<Operation> history, Duration budget, long memoBytes) {
        long deadline = System.nanoTime() + budget.toNanos();
        Map<String, List<Operation>> byKey = new TreeMap<>();
        for (Operation op : history) {
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, List<Operation>> e : byKey.entrySet()) {
            CheckResult r = new KeySearch<>(model, e.getValue(), deadline,
                    memoBytes / bytesPerConfiguration(e.getValue().size())).run();
            if (r.verdict() == Verdict.NOT_LINEARIZABLE) {
                return new CheckResult(Verdict.NOT_LINEARIZABLE, "key " + e.getKey() + ": " + r.explanation());
            }
            if (r.verdict() == Verdict.UNKNOWN) {
                unknown.add(e.getKey() + " (" + r.explanation() + ")");
            }
        }
        if (!unknown.isEmpty()) {
            return new CheckResult(Verdict.UNKNOWN, "undecided within the " + budget.toMillis()
                    + " ms and memory budgets on keys " + unknown);
        }
        return new CheckResult(Verdict.LINEARIZABLE, history.size() + " operations on " + byKey.size() + " keys");
    }

    /**
     * A remembered configuration: the set of linearized operations (a bit set, one bit per
     * operation of the key) and the model state, in a hash set's node; a generous estimate.
     */
    private static long bytesPerConfiguration(int operations) {
        return 160 + operations / 8;
    }
}
