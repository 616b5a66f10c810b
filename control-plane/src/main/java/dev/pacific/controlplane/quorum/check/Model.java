package dev.pacific.controlplane.quorum.check;

import java.util.Optional;

/**
 * The sequential specification an operation history is checked against.
 * States must be immutable values with {@code equals} and {@code hashCode}:
 * the checker memoises on them.
 */
public interface Model<S> {

    S initial();

    /**
     * The state after {@code op} is applied to {@code state}, or empty if the
     * sequential object could not have answered what {@code op} got. For an
     * {@link Operation#indeterminate() indeterminate} op the answer is unknown;
     * return the state as if it took effect.
     */
    Optional<S> step(S state, Operation op);
}
