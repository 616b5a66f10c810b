package dev.pacific.controlplane.quorum.check;

/**
 * One client operation in a history: what was asked, what came back, and
 * when it was invoked and answered. An operation that never got an answer (a
 * time-out, a crash) is indeterminate: it may have taken effect at any time
 * after its call, or never, so its return time is open-ended.
 *
 * @param key    the part of the state the operation touches; histories are
 *               checked key by key, as Porcupine partitions them
 * @param input  the request, interpreted by the {@link Model}
 * @param output the answer, or null when indeterminate
 */
public record Operation(int id, int clientId, String key, Object input, Object output, long call, long ret) {

    public static final long NEVER = Long.MAX_VALUE;

    public Operation {
        if (ret < call) {
            throw new IllegalArgumentException("operation " + id + " returns at " + ret + " before its call at " + call);
        }
    }

    public boolean indeterminate() {
        return ret == NEVER;
    }

    @Override
    public String toString() {
        return "#" + id + " client " + clientId + " " + input + " -> "
                + (indeterminate() ? "(no answer)" : output) + " [" + call + ", " + (indeterminate() ? "..." : ret) + "]";
    }
}
