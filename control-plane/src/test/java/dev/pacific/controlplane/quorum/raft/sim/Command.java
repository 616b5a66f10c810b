package dev.pacific.controlplane.quorum.raft.sim;

import dev.pacific.controlplane.quorum.check.RegisterOp;
import dev.pacific.controlplane.quorum.check.RegisterOp.Cas;
import dev.pacific.controlplane.quorum.check.RegisterOp.Get;
import dev.pacific.controlplane.quorum.check.RegisterOp.Put;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A client request as it travels through the log: who sent it and its
 * sequence number (for exactly-once application), and the register operation.
 */
record Command(int clientId, long seq, RegisterOp op) {

    byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(clientId);
            out.writeLong(seq);
            if (op instanceof Put p) {
                out.writeByte(0);
                writeAll(out, p.key(), p.value());
            } else if (op instanceof Get g) {
                out.writeByte(1);
                writeAll(out, g.key());
            } else if (op instanceof Cas c) {
                out.writeByte(2);
                writeAll(out, c.key(), c.expected(), c.update());
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Command decode(byte[] data) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
            int clientId = in.readInt();
            long seq = in.readLong();
            RegisterOp op = switch (in.readByte()) {
                case 0 -> new Put(read(in), read(in));
                case 1 -> new Get(read(in));
                default -> new Cas(read(in), read(in), read(in));
            };
            return new Command(clientId, seq, op);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeAll(DataOutputStream out, String... values) throws IOException {
        for (String v : values) {
            out.writeBoolean(v != null);
            if (v != null) {
                out.writeUTF(v);
            }
        }
    }

    static String read(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
