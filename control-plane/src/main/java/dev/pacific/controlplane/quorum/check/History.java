package dev.pacific.controlplane.quorum.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Records client operations as they happen. Operations still open when
 * {@link #operations()} is called count as indeterminate.
 */
public final class History {

    private record Open(int clientId, RegisterOp input, long call) {
    }

    private final Map<Integer, Open> open = new TreeMap<>();
    private final List<Operation> done = new ArrayList<>();
    private int nextId;

    public int invoke(int clientId, RegisterOp input, long time) {
        open.put(nextId, new Open(clientId, input, time));
        return nextId++;
    }

    /** The operation was answered with {@code output} at {@code time}. */
    public void complete(int id, Object output, long time) {
        Open o = open.remove(id);
        done.add(new Operation(id, o.clientId(), o.input().key(), o.input(), output, o.call(), time));
    }

    /** The client gave up: the operation may or may not have taken effect. */
    public void timeout(int id) {
        Open o = open.remove(id);
        done.add(new Operation(id, o.clientId(), o.input().key(), o.input(), null, o.call(), Operation.NEVER));
    }

    public List<Operation> operations() {
        List<Operation> all = new ArrayList<>(done);
        open.forEach((id, o) -> all.add(new Operation(id, o.clientId(), o.input().key(), o.input(), null,
                o.call(), Operation.NEVER)));
        all.sort((a, b) -> Integer.compare(a.id(), b.id()));
        return all;
    }
}
