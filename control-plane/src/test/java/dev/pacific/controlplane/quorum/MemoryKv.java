package dev.pacific.controlplane.quorum;

import dev.pacific.controlplane.quorum.raft.Entry;
import dev.pacific.controlplane.quorum.raft.Snapshot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small in-memory key-value {@link StateMachine} with client sessions, for
 * tests and for members running with {@code storage = memory} until the MVCC
 * store lands. An entry is {@link #SESSIONS session-wrapped}: client id, sequence
 * number, then a put or delete. A put's result is the index that applied it; a
 * retried sequence number returns the first result without applying again
 * (Raft dissertation §6.3).
 */
public final class MemoryKv implements StateMachine {

  private static final byte PUT = 1;
  private static final byte DELETE = 2;

  /** How {@link QuorumClient} wraps a command in its session for this state machine. */
  public static final QuorumClient.SessionCodec SESSIONS = (clientId, seq, command) -> write(out -> {
    out.writeUTF(clientId);
    out.writeLong(seq);
    out.write(command);
  });

  private record Session(long seq, byte[] result) {}

  private final TreeMap<String, byte[]> data = new TreeMap<>();
  private final TreeMap<String, Session> sessions = new TreeMap<>();
  private long applied;
  private long writesApplied;

  public static byte[] put(String key, byte[] value) {
    return write(out -> {
      out.writeByte(PUT);
      out.writeUTF(key);
      out.writeInt(value.length);
      out.write(value);
    });
  }

  public static byte[] delete(String key) {
    return write(out -> {
      out.writeByte(DELETE);
      out.writeUTF(key);
    });
  }

  /** A query for {@link #query}: the value of {@code key}, empty when absent. */
  public static byte[] get(String key) {
    return write(out -> out.writeUTF(key));
  }

  @Override
  public synchronized long appliedIndex() {
    return applied;
  }

  /** How many puts and deletes took effect (duplicates excluded), for exactly-once tests. */
  public synchronized long writesApplied() {
    return writesApplied;
  }

  @Override
  public synchronized List<byte[]> applyBatch(List<Entry> entries) {
    List<byte[]> results = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      if (e.index() != applied + 1) {
        throw new IllegalStateException("entry " + e.index() + " does not follow applied index " + applied);
      }
      results.add(e.data().length == 0 ? new byte[0] : applySessionCommand(e));
      applied = e.index();
    }
    return results;
  }

  private byte[] applySessionCommand(Entry e) {
    return read(e.data(), in -> {
      String clientId = in.readUTF();
      long seq = in.readLong();
      Session last = sessions.get(clientId);
      if (last != null && seq <= last.seq()) {
        return last.result(); // a retry of what was already applied
      }
      byte op = in.readByte();
      String key = in.readUTF();
      if (op == PUT) {
        data.put(key, in.readNBytes(in.readInt()));
      } else {
        data.remove(key);
      }
      writesApplied++;
      byte[] result = ByteBuffer.allocate(8).putLong(e.index()).array();
      sessions.put(clientId, new Session(seq, result));
      return result;
    });
  }

  @Override
  public synchronized byte[] query(byte[] query) {
    String key = read(query, in -> in.readUTF());
    return data.getOrDefault(key, new byte[0]).clone();
  }

  @Override
  public synchronized byte[] snapshot() {
    return write(out -> {
      out.writeLong(writesApplied);
      out.writeInt(data.size());
      for (Map.Entry<String, byte[]> kv : data.entrySet()) {
        out.writeUTF(kv.getKey());
        out.writeInt(kv.getValue().length);
        out.write(kv.getValue());
      }
      out.writeInt(sessions.size());
      for (Map.Entry<String, Session> s : sessions.entrySet()) {
        out.writeUTF(s.getKey());
        out.writeLong(s.getValue().seq());
        out.writeInt(s.getValue().result().length);
        out.write(s.getValue().result());
      }
    });
  }

  @Override
  public synchronized void restore(Snapshot snapshot) {
    data.clear();
    sessions.clear();
    read(snapshot.data(), in -> {
      writesApplied = in.readLong();
      for (int i = in.readInt(); i > 0; i--) {
        data.put(in.readUTF(), in.readNBytes(in.readInt()));
      }
      for (int i = in.readInt(); i > 0; i--) {
        sessions.put(in.readUTF(), new Session(in.readLong(), in.readNBytes(in.readInt())));
      }
      return null;
    });
    applied = snapshot.index();
  }

  @Override
  public synchronized String stateHash() {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(snapshot()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  private static byte[] write(Writer writer) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      writer.write(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> T read(byte[] bytes, Reader<T> reader) {
    try {
      return reader.read(new DataInputStream(new ByteArrayInputStream(bytes)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
