package dev.pacific.controlplane.quorum.check;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The Wing–Gong–Lowe search over the operations of one key. */
final class KeySearch<S> {

    /** A call or return event in a doubly linked list ordered by time. */
    private static final class Event {
        final Operation op;
        final int bit;
        final boolean isCall;
        final long time;
        Event match;
        Event prev;
        Event next;

        Event(Operation op, int bit, boolean isCall, long time) {
            this.op = op;
            this.bit = bit;
            this.isCall = isCall;
            this.time = time;
        }
    }

    private record Frame<S>(Event call, S state, BitSet linearized) {
    }

    private record Seen(BitSet linearized, Object state) {
    }

    private final Model<S> model;
    private final List<Operation> ops;
    private final long deadline;
    private final long maxConfigurations;
    private final Event head = new Event(null, -1, false, Long.MIN_VALUE);
    private List<Operation> longestPrefix = List.of();

    KeySearch(Model<S> model, List<Operation> ops, long deadline, long maxConfigurations) {
        this.model = model;
        this.ops = ops;
        this.deadline = deadline;
        this.maxConfigurations = maxConfigurations;
        buildEventList();
    }

    /** Calls sort before returns at the same instant: touching operations count as concurrent. */
    private void buildEventList() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Event call = new Event(ops.get(i), i, true, ops.get(i).call());
            Event ret = new Event(ops.get(i), i, false, ops.get(i).ret());
            call.match = ret;
            events.add(call);
            events.add(ret);
        }
        events.sort(Comparator.comparingLong((Event e) -> e.time).thenComparing(e -> !e.isCall)
                .thenComparingInt(e -> e.bit));
        Event last = head;
        for (Event e : events) {
            last.next = e;
            e.prev = last;
            last = e;
        }
    }

    // The search's position: what is linearized so far, the model state it led to, and how it got there.
    private S state;
    private BitSet linearized;
    private int linearizedDeterminate;
    private final Deque<Frame<S>> stack = new ArrayDeque<>();
    private final Set<Seen> seen = new HashSet<>();

    CheckResult run() {
        int mustLinearize = (int) ops.stream().filter(op -> !op.indeterminate()).count();
        state = model.initial();
        linearized = new BitSet(ops.size());
        Event entry = head.next;
        long steps = 0;
        while (linearizedDeterminate < mustLinearize) {
            if ((++steps & 1023) == 0 && System.nanoTime() > deadline) {
                return new CheckResult(Verdict.UNKNOWN, "budget exhausted after " + steps + " steps");
            }
            if (seen.size() > maxConfigurations) {
                return new CheckResult(Verdict.UNKNOWN, "memory budget exhausted: " + seen.size()
                        + " configurations remembered after " + steps + " steps");
            }
            if (entry.isCall) {
                entry = tryToLinearize(entry) ? head.next : entry.next;
            } else if (stack.isEmpty()) {
                return new CheckResult(Verdict.NOT_LINEARIZABLE, explain());
            } else {
                entry = backtrack();
            }
        }
        return new CheckResult(Verdict.LINEARIZABLE, ops.size() + " operations");
    }

    /** Linearizes {@code call} next if the model allows it and the resulting configuration is new. */
    private boolean tryToLinearize(Event call) {
        Optional<S> next = model.step(state, call.op);
        if (next.isEmpty()) {
            return false;
        }
        BitSet after = (BitSet) linearized.clone();
        after.set(call.bit);
        if (!seen.add(new Seen(after, next.get()))) {
            return false;
        }
        stack.push(new Frame<>(call, state, linearized));
        state = next.get();
        linearized = after;
        linearizedDeterminate += call.op.indeterminate() ? 0 : 1;
        lift(call);
        rememberIfLongest();
        return true;
    }

    /** A return was reached before its operation was linearized: undo the last choice and try the next call. */
    private Event backtrack() {
        Frame<S> f = stack.pop();
        state = f.state();
        linearized = f.linearized();
        linearizedDeterminate -= f.call().op.indeterminate() ? 0 : 1;
        unlift(f.call());
        return f.call().next;
    }

    private static void lift(Event call) {
        call.prev.next = call.next;
        if (call.next != null) {
            call.next.prev = call.prev;
        }
        Event ret = call.match;
        ret.prev.next = ret.next;
        if (ret.next != null) {
            ret.next.prev = ret.prev;
        }
    }

    private static void unlift(Event call) {
        Event ret = call.match;
        ret.prev.next = ret;
        if (ret.next != null) {
            ret.next.prev = ret;
        }
        call.prev.next = call;
        if (call.next != null) {
            call.next.prev = call;
        }
    }

    private void rememberIfLongest() {
        if (stack.size() > longestPrefix.size()) {
            List<Operation> order = new ArrayList<>();
            stack.descendingIterator().forEachRemaining(f -> order.add(f.call().op));
            longestPrefix = order;
        }
    }

    /**
     * Porcupine-style: the longest order that worked, and the operations that
     * could not come next — every determinate one not in it that was called
     * before the earliest pending return.
     */
    private String explain() {
        Set<Operation> placed = new HashSet<>(longestPrefix);
        long firstReturn = ops.stream().filter(op -> !placed.contains(op) && !op.indeterminate())
                .mapToLong(Operation::ret).min().orElse(Long.MAX_VALUE);
        String stuck = ops.stream().filter(op -> !placed.contains(op) && op.call() <= firstReturn)
                .map(Operation::toString).collect(Collectors.joining("\n    "));
        int shown = Math.min(longestPrefix.size(), 12);
        String prefix = longestPrefix.subList(longestPrefix.size() - shown, longestPrefix.size()).stream()
                .map(Operation::toString).collect(Collectors.joining("\n    "));
        return "no linearization of its " + ops.size() + " operations; the longest linearizable order places "
                + longestPrefix.size() + " of them, ending with\n    " + prefix
                + "\n  and then none of these can come next:\n    " + stuck;
    }
}
