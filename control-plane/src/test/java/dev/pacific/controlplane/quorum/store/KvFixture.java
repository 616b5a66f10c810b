package dev.pacific.controlplane.quorum.store;

import dev.pacific.controlplane.quorum.raft.Entry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** A key-value store in a temporary directory, fed requests as a log would (one entry each, or batches). */
class KvFixture implements AutoCloseable {

  final Path root = TempDirs.create("kv");
  final KvSettings settings;
  KvStore store;
  long index;
  long leaderTime = 1_000;

  KvFixture() {
    this(KvSettings.DEFAULT);
  }

  KvFixture(KvSettings settings) {
    this.settings = settings;
    store = KvStore.open(root.resolve("kv"), settings);
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String s(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  Entry entry(long clientId, long seq, KvCommand command) {
    return new Entry(1, ++index, KvCodec.encode(new Request(clientId, seq, leaderTime, command)));
  }

  /** Applies a command outside any session, as the leader's own proposals are. */
  KvResult run(KvCommand command) {
    return submit(Request.NO_SESSION, 0, command);
  }

  KvResult submit(long clientId, long seq, KvCommand command) {
    return store.applyBatch(List.of(entry(clientId, seq, command))).get(0).result();
  }

  KvResult put(String key, String value) {
    return run(new KvCommand.Put(b(key), b(value)));
  }

  void reopen() {
    store.close();
    store = KvStore.open(root.resolve("kv"), settings);
  }

  @Override
  public void close() {
    store.close();
    TempDirs.delete(root);
  }
}
