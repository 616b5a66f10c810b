package dev.pacific.controlplane.quorum.store;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.fusesource.leveldbjni.JniDBFactory;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;

/**
 * Opens a LevelDB directory for one kind of store, refusing anything that is
 * not a healthy database of that kind. LevelDB itself would happily create a
 * fresh database next to stray files, which for a Raft member means silently
 * forgetting its term and vote; so a directory that is non-empty but lacks
 * LevelDB's {@code CURRENT} file, holds another kind of store, or that
 * LevelDB cannot open is refused with a message naming it.
 */
final class LevelDb {

  private static final byte[] KIND_KEY = {0};
  private static final WriteOptions SYNC = new WriteOptions().sync(true);
  private static final WriteOptions UNSYNCED = new WriteOptions().sync(false);

  private LevelDb() {
  }

  /** The opened database and whether this call created it (a member can tell a lost directory from a new one). */
  record Opened(DB db, boolean created) {
  }

  static Opened open(Path dir, String kind) {
    boolean created = prepare(dir, kind);
    // Not paranoid: a member killed mid-write leaves a torn last record in LevelDB's write-ahead log,
    // which paranoid checks report as corruption and refuse to open, so a SIGKILLed member could not
    // restart. That record was never acknowledged (the synced write had not returned); recovery drops
    // it. A broken MANIFEST or table still fails to open and is refused by name below.
    Options options = new Options().createIfMissing(created).paranoidChecks(false);
    DB db;
    try {
      db = JniDBFactory.factory.open(dir.toFile(), options);
    } catch (IOException | RuntimeException e) {
      throw refuse(dir, kind, "LevelDB cannot open it (" + e.getMessage() + ")", e);
    }
    byte[] stored = db.get(KIND_KEY);
    // An empty database without a kind is one whose creation a crash interrupted: finish it.
    created = created || (stored == null && isEmpty(db));
    if (created && stored == null) {
      db.put(KIND_KEY, kind.getBytes(), SYNC);
    } else if (stored == null || !Arrays.equals(stored, kind.getBytes())) {
      close(db);
      String found = stored == null ? "no store kind" : "a store of kind '" + new String(stored) + "'";
      throw refuse(dir, kind, "it holds " + found, null);
    }
    return new Opened(db, created);
  }

  private static boolean isEmpty(DB db) {
    try (DBIterator it = db.iterator()) {
      it.seekToFirst();
      return !it.hasNext();
    } catch (IOException e) {
      throw new StoreException("reading LevelDB failed: " + e.getMessage(), e);
    }
  }

  /** Checks the directory before LevelDB sees it; true when a new database must be created. */
  private static boolean prepare(Path dir, String kind) {
    File f = dir.toFile();
    if (!f.exists()) {
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw refuse(dir, kind, "it cannot be created (" + e + ")", e);
      }
      return true;
    }
    if (!f.isDirectory() || !f.canRead() || !f.canWrite() || !f.canExecute()) {
      throw refuse(dir, kind, "it is not a readable and writable directory", null);
    }
    if (isEmpty(dir, kind)) {
      return true;
    }
    if (!new File(f, "CURRENT").isFile()) {
      throw refuse(dir, kind, "it holds files but no LevelDB database (no CURRENT file)", null);
    }
    return false;
  }

  private static boolean isEmpty(Path dir, String kind) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.findAny().isEmpty();
    } catch (IOException e) {
      throw refuse(dir, kind, "it cannot be listed (" + e + ")", e);
    }
  }

  private static StoreException refuse(Path dir, String kind, String why, Throwable cause) {
    return new StoreException("refusing the " + kind + " directory " + dir.toAbsolutePath() + ": " + why
        + ". Restore it from a backup, or move it away so this member starts empty and catches up from its"
        + " peers (only if they still hold the data).", cause);
  }

  /** One write without fsync: it survives the process dying, not the machine losing power. */
  static void write(DB db, WriteBatch batch, Path dir) {
    try {
      db.write(batch, UNSYNCED);
    } catch (RuntimeException e) {
      throw new StoreException("write to " + dir.toAbsolutePath() + " failed: " + e.getMessage(), e);
    } finally {
      close(batch);
    }
  }

  /** One synced write: the single fsync a store pays per call. */
  static void writeSynced(DB db, WriteBatch batch, Path dir) {
    try {
      db.write(batch, SYNC);
    } catch (RuntimeException e) {
      throw new StoreException("write to " + dir.toAbsolutePath() + " failed: " + e.getMessage(), e);
    } finally {
      close(batch);
    }
  }

  static void close(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      throw new StoreException("closing LevelDB failed: " + e.getMessage(), e);
    }
  }
}
