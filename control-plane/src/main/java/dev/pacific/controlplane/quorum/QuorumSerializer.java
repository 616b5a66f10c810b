package dev.pacific.controlplane.quorum;

import dev.pacific.controlplane.quorum.QuorumMember.ConfirmRead;
import dev.pacific.controlplane.quorum.QuorumMember.Forwarded;
import dev.pacific.controlplane.quorum.QuorumMember.FromPeer;
import dev.pacific.controlplane.quorum.QuorumMember.GetStatus;
import dev.pacific.controlplane.quorum.QuorumMember.NotLeader;
import dev.pacific.controlplane.quorum.QuorumMember.Placed;
import dev.pacific.controlplane.quorum.QuorumMember.Propose;
import dev.pacific.controlplane.quorum.QuorumMember.Read;
import dev.pacific.controlplane.quorum.QuorumMember.ReadConfirmed;
import dev.pacific.controlplane.quorum.QuorumMember.Renew;
import dev.pacific.controlplane.quorum.QuorumMember.Result;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * The quorum's wire format: a short manifest names the message, the body is
 * fields in declaration order through {@link DataOutputStream} (big-endian
 * numbers, length-prefixed bytes, UTF names, refs as Pekko's serialized
 * paths). Raft messages travel wrapped in {@link FromPeer}; the manifest is
 * the inner message's.
 */
public final class QuorumSerializer extends SerializerWithStringManifest {

  private final ExtendedActorSystem system;
  private volatile ActorRefResolver resolver;

  public QuorumSerializer(ExtendedActorSystem system) {
    this.system = system;
  }

  @Override
  public int identifier() {
    return 4401;
  }

  @Override
  public String manifest(Object o) {
    if (o instanceof FromPeer p) {
      return RaftCodec.manifest(p.message());
    }
    if (o instanceof Forwarded) {
      return "FW";
    } else if (o instanceof Placed) {
      return "PL";
    } else if (o instanceof Propose) {
      return "P";
    } else if (o instanceof Read) {
      return "R";
    } else if (o instanceof Renew) {
      return "RN";
    } else if (o instanceof GetStatus) {
      return "S";
    } else if (o instanceof ConfirmRead) {
      return "CR";
    } else if (o instanceof ReadConfirmed) {
      return "RC";
    } else if (o instanceof Result) {
      return "OK";
    } else if (o instanceof NotLeader) {
      return "NL";
    } else if (o instanceof QuorumStatus) {
      return "ST";
    }
    throw new IllegalArgumentException("not a quorum message: " + o.getClass());
  }

  @Override
  public byte[] toBinary(Object o) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
      DataOutputStream out = new DataOutputStream(bytes);
      write(o, out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void write(Object o, DataOutputStream out) throws IOException {
    if (o instanceof FromPeer p) {
      RaftCodec.write(p.message(), out);
    } else if (o instanceof Forwarded f) {
      out.writeUTF(f.from());
      out.writeLong(f.incarnation());
      out.writeLong(f.firstId());
      out.writeInt(f.commands().size());
      for (byte[] c : f.commands()) {
        Wire.bytes(out, c);
      }
    } else if (o instanceof Placed p) {
      out.writeLong(p.incarnation());
      out.writeLong(p.firstId());
      out.writeInt(p.count());
      out.writeLong(p.firstIndex());
      out.writeLong(p.term());
      Wire.nullableUtf(out, p.leader());
    } else if (o instanceof Propose p) {
      Wire.bytes(out, p.command());
      out.writeUTF(ref(p.replyTo()));
      out.writeInt(p.hops());
    } else if (o instanceof Read r) {
      Wire.bytes(out, r.query());
      out.writeUTF(ref(r.replyTo()));
    } else if (o instanceof Renew r) {
      Wire.bytes(out, r.request());
      out.writeUTF(ref(r.replyTo()));
      out.writeInt(r.hops());
    } else if (o instanceof GetStatus g) {
      out.writeUTF(ref(g.replyTo()));
    } else if (o instanceof ConfirmRead c) {
      out.writeUTF(c.from());
      out.writeLong(c.context());
    } else if (o instanceof ReadConfirmed c) {
      out.writeLong(c.context());
      out.writeLong(c.index());
    } else if (o instanceof Result r) {
      out.writeLong(r.index());
      Wire.bytes(out, r.value());
    } else if (o instanceof NotLeader n) {
      Wire.nullableUtf(out, n.leader());
    } else if (o instanceof QuorumStatus s) {
      StatusCodec.write(s, out);
    } else {
      throw new IllegalArgumentException("not a quorum message: " + o.getClass());
    }
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    try {
      return switch (manifest) {
        case "FW" -> readForwarded(in);
        case "PL" -> new Placed(in.readLong(), in.readLong(), in.readInt(), in.readLong(), in.readLong(),
            Wire.nullableUtf(in));
        case "P" -> new Propose(Wire.bytes(in), resolve(in.readUTF()), in.readInt());
        case "R" -> new Read(Wire.bytes(in), resolve(in.readUTF()));
        case "RN" -> new Renew(Wire.bytes(in), resolve(in.readUTF()), in.readInt());
        case "CR" -> new ConfirmRead(in.readUTF(), in.readLong());
        case "RC" -> new ReadConfirmed(in.readLong(), in.readLong());
        case "S" -> new GetStatus(resolve(in.readUTF()));
        case "OK" -> new Result(in.readLong(), Wire.bytes(in));
        case "NL" -> new NotLeader(Wire.nullableUtf(in));
        case "ST" -> StatusCodec.read(in);
        default -> new FromPeer(RaftCodec.read(manifest, in));
      };
    } catch (IOException | IllegalArgumentException e) {
      throw new NotSerializableException("cannot read quorum message " + manifest + ": " + e.getMessage());
    }
  }

  private static Forwarded readForwarded(DataInputStream in) throws IOException {
    String from = in.readUTF();
    long incarnation = in.readLong();
    long firstId = in.readLong();
    int n = in.readInt();
    if (n < 0 || n > in.available() / 4) {
      throw new IOException("a batch of " + n + " proposals overruns the message");
    }
    List<byte[]> commands = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      commands.add(Wire.bytes(in));
    }
    return new Forwarded(from, incarnation, firstId, commands);
  }

  private String ref(org.apache.pekko.actor.typed.ActorRef<?> ref) {
    return resolver().toSerializationFormat(ref);
  }

  private <T> org.apache.pekko.actor.typed.ActorRef<T> resolve(String path) {
    return resolver().resolveActorRef(path);
  }

  private ActorRefResolver resolver() {
    if (resolver == null) {
      resolver = ActorRefResolver.get(Adapter.toTyped(system));
    }
    return resolver;
  }
}
