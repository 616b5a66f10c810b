package dev.pacific.controlplane.quorum.store;

import dev.pacific.controlplane.quorum.store.KvCommand.Compare;
import dev.pacific.controlplane.quorum.store.KvCommand.Delete;
import dev.pacific.controlplane.quorum.store.KvCommand.Get;
import dev.pacific.controlplane.quorum.store.KvCommand.Put;
import dev.pacific.controlplane.quorum.store.KvCommand.Txn;
import dev.pacific.controlplane.quorum.store.KvCommand.TxnOp;
import dev.pacific.controlplane.quorum.store.KvResult.DeleteResult;
import dev.pacific.controlplane.quorum.store.KvResult.PutResult;
import dev.pacific.controlplane.quorum.store.KvResult.RangeResult;
import dev.pacific.controlplane.quorum.store.KvResult.Rejected;
import dev.pacific.controlplane.quorum.store.KvResult.TxnResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of requests, results and records, as they travel in log
 * entries, session tables and snapshots: tagged, length-prefixed, big-endian
 * (DataOutput). No JSON and no Java serialization on the replication path
 * (issue 4). The first byte of a request is a format version, so a future
 * format can be told apart in an old log.
 */
public final class KvCodec {

  private static final byte FORMAT = 1;
  /** A bound on one field, so garbled input fails fast instead of allocating gigabytes; values are at most 1.5 MiB. */
  private static final int MAX_FIELD_BYTES = 64 << 20;

  private KvCodec() {
  }

  interface Writer {
    void write(DataOutput out) throws IOException;
  }

  interface Reader<T> {
    T read(DataInput in) throws IOException;
  }

  static byte[] bytes(Writer w) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      w.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Reads {@code data} whole; a short or garbled input is an {@link IllegalArgumentException}. */
  static <T> T read(byte[] data, Reader<T> r) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      T t = r.read(in);
      if (in.available() > 0) {
        throw new IllegalArgumentException("malformed: " + in.available() + " trailing bytes");
      }
      return t;
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("malformed " + data.length + "-byte record: " + e, e);
    }
  }

  public static byte[] encode(Request r) {
    return bytes(out -> {
      out.writeByte(FORMAT);
      out.writeLong(r.clientId());
      out.writeLong(r.seq());
      out.writeLong(r.leaderTimeMillis());
      writeCommand(out, r.command());
    });
  }

  /**
   * The same encoded request with the leader's clock in it, without decoding the command (which
   * may be a large value): the leader stamps every proposal so sessions expire by log time.
   */
  public static byte[] withLeaderTime(byte[] encodedRequest, long leaderTimeMillis) {
    if (encodedRequest.length < LEADER_TIME_OFFSET + 8 || encodedRequest[0] != FORMAT) {
      throw new IllegalArgumentException("not an encoded request");
    }
    byte[] stamped = encodedRequest.clone();
    java.nio.ByteBuffer.wrap(stamped).putLong(LEADER_TIME_OFFSET, leaderTimeMillis);
    return stamped;
  }

  /** Format byte, client id and sequence number come first (see {@link #encode(Request)}). */
  private static final int LEADER_TIME_OFFSET = 1 + 8 + 8;

  public static Request decodeRequest(byte[] data) {
    return read(data, in -> {
      byte format = in.readByte();
      if (format != FORMAT) {
        throw new IllegalArgumentException("unknown request format " + format);
      }
      return new Request(in.readLong(), in.readLong(), in.readLong(), readCommand(in));
    });
  }

  public static byte[] encode(KvResult r) {
    return bytes(out -> writeResult(out, r));
  }

  public static KvResult decodeResult(byte[] data) {
    return read(data, KvCodec::readResult);
  }

  private static void writeCommand(DataOutput out, KvCommand c) throws IOException {
    // Java 17 has no pattern switch; the sealed hierarchy keeps these chains complete.
    // Tags added after format 1 (compaction, leases) are new tags, so old logs still read.
    if (c instanceof KvCommand.Compact k) {
      out.writeByte(7);
      out.writeLong(k.revision());
    } else if (c instanceof KvCommand.LeaseGrant g) {
      out.writeByte(8);
      out.writeLong(g.id());
      out.writeLong(g.ttlMillis());
    } else if (c instanceof KvCommand.LeaseKeepAlive k) {
      out.writeByte(9);
      out.writeLong(k.id());
    } else if (c instanceof KvCommand.LeaseRevoke r) {
      out.writeByte(10);
      out.writeLong(r.id());
    } else if (c instanceof Txn t) {
      out.writeByte(4);
      out.writeInt(t.compares().size());
      for (Compare cmp : t.compares()) {
        writeCompare(out, cmp);
      }
      writeOps(out, t.success());
      writeOps(out, t.failure());
    } else {
      writeOp(out, (TxnOp) c);
    }
  }

  private static KvCommand readCommand(DataInput in) throws IOException {
    byte tag = in.readByte();
    switch (tag) {
      case 7:
        return new KvCommand.Compact(in.readLong());
      case 8:
        return new KvCommand.LeaseGrant(in.readLong(), in.readLong());
      case 9:
        return new KvCommand.LeaseKeepAlive(in.readLong());
      case 10:
        return new KvCommand.LeaseRevoke(in.readLong());
      case 4:
        break;
      default:
        return (KvCommand) readOp(tag, in);
    }
    int n = readCount(in);
    List<Compare> compares = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      compares.add(readCompare(in));
    }
    return new Txn(compares, readOps(in), readOps(in));
  }

  private static void writeOps(DataOutput out, List<TxnOp> ops) throws IOException {
    out.writeInt(ops.size());
    for (TxnOp op : ops) {
      writeOp(out, op);
    }
  }

  private static List<TxnOp> readOps(DataInput in) throws IOException {
    int n = readCount(in);
    List<TxnOp> ops = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ops.add(readOp(in.readByte(), in));
    }
    return ops;
  }

  private static void writeOp(DataOutput out, TxnOp op) throws IOException {
    if (op instanceof Put p) {
      out.writeByte(p.lease() == KvCommand.NO_LEASE ? 1 : 6); // a plain put keeps format 1's bytes
      writeBytes(out, p.key());
      writeBytes(out, p.value());
      if (p.lease() != KvCommand.NO_LEASE) {
        out.writeLong(p.lease());
      }
    } else if (op instanceof Delete d) {
      out.writeByte(2);
      writeRange(out, d.range());
    } else if (op instanceof Get g) {
      out.writeByte(g.revision() == KvCommand.LATEST ? 3 : 11); // a latest read keeps format 1's bytes
      writeRange(out, g.range());
      out.writeLong(g.limit());
      if (g.revision() != KvCommand.LATEST) {
        out.writeLong(g.revision());
      }
    }
  }

  private static TxnOp readOp(byte tag, DataInput in) throws IOException {
    return switch (tag) {
      case 1 -> new Put(readBytes(in), readBytes(in));
      case 2 -> new Delete(readRange(in));
      case 3 -> new Get(readRange(in), in.readLong());
      case 6 -> new Put(readBytes(in), readBytes(in), in.readLong());
      case 11 -> new Get(readRange(in), in.readLong(), in.readLong());
      default -> throw new IllegalArgumentException("unknown operation tag " + tag);
    };
  }

  private static void writeCompare(DataOutput out, Compare c) throws IOException {
    writeBytes(out, c.key());
    out.writeByte(c.target().ordinal());
    out.writeByte(c.op().ordinal());
    out.writeLong(c.number());
    writeBytes(out, c.value());
  }

  private static Compare readCompare(DataInput in) throws IOException {
    return new Compare(readBytes(in), KvCommand.Target.values()[in.readByte()], KvCommand.Op.values()[in.readByte()],
        in.readLong(), readBytes(in));
  }

  private static void writeResult(DataOutput out, KvResult r) throws IOException {
    if (r instanceof PutResult p) {
      out.writeByte(1);
      out.writeLong(p.revision());
    } else if (r instanceof DeleteResult d) {
      out.writeByte(2);
      out.writeLong(d.revision());
      out.writeLong(d.deleted());
    } else if (r instanceof RangeResult g) {
      out.writeByte(3);
      out.writeInt(g.kvs().size());
      for (KeyValue kv : g.kvs()) {
        writeKeyValue(out, kv);
      }
      out.writeBoolean(g.more());
      out.writeLong(g.count());
      out.writeLong(g.revision());
    } else if (r instanceof TxnResult t) {
      out.writeByte(4);
      out.writeBoolean(t.succeeded());
      out.writeLong(t.revision());
      out.writeInt(t.results().size());
      for (KvResult each : t.results()) {
        writeResult(out, each);
      }
    } else if (r instanceof KvResult.CompactResult c) {
      out.writeByte(6);
      out.writeLong(c.compacted());
      out.writeLong(c.revision());
    } else if (r instanceof KvResult.LeaseResult l) {
      out.writeByte(7);
      out.writeLong(l.id());
      out.writeLong(l.ttlMillis());
      out.writeLong(l.revision());
    } else if (r instanceof KvResult.LeaseRevoked l) {
      out.writeByte(8);
      out.writeLong(l.id());
      out.writeLong(l.deleted());
      out.writeLong(l.revision());
    } else if (r instanceof Rejected x) {
      out.writeByte(5);
      out.writeByte(x.reason().ordinal());
      out.writeUTF(x.message());
    }
  }

  private static KvResult readResult(DataInput in) throws IOException {
    byte tag = in.readByte();
    switch (tag) {
      case 1:
        return new PutResult(in.readLong());
      case 2:
        return new DeleteResult(in.readLong(), in.readLong());
      case 3: {
        int n = readCount(in);
        List<KeyValue> kvs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          kvs.add(readKeyValue(in));
        }
        return new RangeResult(kvs, in.readBoolean(), in.readLong(), in.readLong());
      }
      case 4: {
        boolean ok = in.readBoolean();
        long rev = in.readLong();
        int n = readCount(in);
        List<KvResult> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          results.add(readResult(in));
        }
        return new TxnResult(ok, rev, results);
      }
      case 5:
        return new Rejected(KvResult.Reason.values()[in.readByte()], in.readUTF());
      case 6:
        return new KvResult.CompactResult(in.readLong(), in.readLong());
      case 7:
        return new KvResult.LeaseResult(in.readLong(), in.readLong(), in.readLong());
      case 8:
        return new KvResult.LeaseRevoked(in.readLong(), in.readLong(), in.readLong());
      default:
        throw new IllegalArgumentException("unknown result tag " + tag);
    }
  }

  static void writeKeyValue(DataOutput out, KeyValue kv) throws IOException {
    writeBytes(out, kv.key());
    writeBytes(out, kv.value());
    out.writeLong(kv.createRevision());
    out.writeLong(kv.modRevision());
    out.writeLong(kv.version());
  }

  static KeyValue readKeyValue(DataInput in) throws IOException {
    return new KeyValue(readBytes(in), readBytes(in), in.readLong(), in.readLong(), in.readLong());
  }

  static void writeChange(DataOutput out, Change c) throws IOException {
    out.writeByte(c.type().ordinal());
    writeKeyValue(out, c.kv());
  }

  static Change readChange(DataInput in) throws IOException {
    return new Change(Change.Type.values()[in.readByte()], readKeyValue(in));
  }

  private static void writeRange(DataOutput out, KeyRange r) throws IOException {
    writeBytes(out, r.from());
    writeBytes(out, r.to());
  }

  private static KeyRange readRange(DataInput in) throws IOException {
    return new KeyRange(readBytes(in), readBytes(in));
  }

  /** A list's length; lists are not pre-sized by it, so a garbled count fails on EOF, not by allocating. */
  static int readCount(DataInput in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      throw new IllegalArgumentException("negative count " + n);
    }
    return n;
  }

  /** Length-prefixed; length -1 stands for null (a single-key range has no end). */
  static void writeBytes(DataOutput out, byte[] b) throws IOException {
    if (b == null) {
      out.writeInt(-1);
      return;
    }
    out.writeInt(b.length);
    out.write(b);
  }

  static byte[] readBytes(DataInput in) throws IOException {
    int n = in.readInt();
    if (n < -1 || n > MAX_FIELD_BYTES) {
      throw new IllegalArgumentException("field length " + n + " out of bounds");
    }
    if (n == -1) {
      return null;
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }
}
