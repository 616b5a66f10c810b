package dev.pacific.controlplane.quorum.store;

import dev.pacific.controlplane.quorum.raft.Entry;
import dev.pacific.controlplane.quorum.store.KvCommand.Compare;
import dev.pacific.controlplane.quorum.store.KvCommand.Delete;
import dev.pacific.controlplane.quorum.store.KvCommand.Op;
import dev.pacific.controlplane.quorum.store.KvCommand.Put;
import dev.pacific.controlplane.quorum.store.KvCommand.Txn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The child process of the key-value crash test: applies a seeded log in
 * small batches and prints {@code ack <appliedIndex>} after each batch is
 * durable, resuming from its applied index, until its parent kills it.
 */
public final class KvApplier {

  private KvApplier() {
  }

  /** A seeded log of puts, deletes, CASes, retries and no-ops from a few clients: entries 1..n. */
  static List<Entry> log(long seed, int n) {
    Random random = new Random(seed);
    long[] seqs = new long[5];
    List<Entry> entries = new ArrayList<>();
    long time = 0;
    for (int i = 1; i <= n; i++) {
      time += random.nextInt(20);
      int client = random.nextInt(seqs.length);
      long seq = seqs[client] > 0 && random.nextInt(6) == 0 ? seqs[client] : ++seqs[client];
      byte[] key = ("k/" + random.nextInt(50)).getBytes(StandardCharsets.UTF_8);
      KvCommand c = switch (random.nextInt(4)) {
        case 0 -> new Delete(KeyRange.key(key));
        case 1 -> new Txn(List.of(Compare.version(key, Op.LESS, 4)), List.of(new Put(key, new byte[i % 300])),
            List.of(new KvCommand.Get(KeyRange.key(key), 0)));
        default -> new Put(key, ("v" + i).getBytes(StandardCharsets.UTF_8));
      };
      byte[] data = random.nextInt(15) == 0 ? new byte[0] : KvCodec.encode(new Request(client + 1, seq, time, c));
      entries.add(new Entry(1, i, data));
    }
    return entries;
  }

  public static void main(String[] args) {
    List<Entry> log = log(Long.parseLong(args[1]), Integer.parseInt(args[2]));
    try (KvStore kv = KvStore.open(Path.of(args[0]), KvSettings.DEFAULT)) {
      for (int next = (int) kv.appliedIndex(), size = 1; next < log.size(); next += size, size = 1 + next % 8) {
        kv.applyBatch(log.subList(next, Math.min(log.size(), next + size)));
        System.out.println("ack " + kv.appliedIndex());
        System.out.flush();
      }
    }
  }
}
