package dev.pacific.controlplane.quorum.check;

import dev.pacific.controlplane.quorum.check.RegisterOp.Cas;
import dev.pacific.controlplane.quorum.check.RegisterOp.Get;
import dev.pacific.controlplane.quorum.check.RegisterOp.Put;
import java.util.Objects;
import java.util.Optional;

/** A key's register with put, get and compare-and-swap; absent until first written. */
public final class RegisterModel implements Model<RegisterModel.Value> {

    /** The register's content; {@code value} is null while the key is absent. */
    public record Value(String value) {
    }

    @Override
    public Value initial() {
        return new Value(null);
    }

    @Override
    public Optional<Value> step(Value state, Operation op) {
        RegisterOp input = (RegisterOp) op.input();
        if (input instanceof Put p) {
            return Optional.of(new Value(p.value()));
        }
        if (input instanceof Get) {
            return op.indeterminate() || Objects.equals(op.output(), state.value())
                    ? Optional.of(state) : Optional.empty();
        }
        Cas c = (Cas) input;
        boolean matches = Objects.equals(state.value(), c.expected());
        if (op.indeterminate()) {
            return Optional.of(matches ? new Value(c.update()) : state);
        }
        if (!Boolean.valueOf(matches).equals(op.output())) {
            return Optional.empty();
        }
        return Optional.of(matches ? new Value(c.update()) : state);
    }
}
