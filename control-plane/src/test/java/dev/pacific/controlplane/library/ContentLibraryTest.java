package dev.pacific.controlplane.library;

import static dev.pacific.controlplane.persistence.QuorumFixture.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.controlplane.library.ContentLibrary.Stored;
import dev.pacific.controlplane.persistence.QuorumFixture;
import dev.pacific.controlplane.quorum.store.KeyRange;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The content library's layout in the quorum: chunks first, the record last, and what survives a retry. */
class ContentLibraryTest {

  private static final int CHUNK = 1000;
  private static QuorumFixture quorum;
  private static ContentLibrary library;

  @TempDir
  Path files;

  @BeforeAll
  static void start() {
    quorum = QuorumFixture.oneMember("");
    library = new ContentLibrary(quorum.kv, new LibrarySettings(8_000, 20_000, CHUNK, Path.of("unused")),
        Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC), ForkJoinPool.commonPool());
  }

  @AfterAll
  static void stop() {
    quorum.close();
  }

  @Test
  void aBundleIsCutIntoChunksThatReadBackAsTheSameBytes() throws Exception {
    byte[] bundle = bytes(2500, 1);
    Stored stored = await(library.store(upload("cut", bundle)));
    LibraryImage image = assertInstanceOf(Stored.Added.class, stored).image();
    assertEquals("cut@sha256:" + sha256(bundle), image.image());
    assertEquals(2500, image.size());
    assertEquals(3, image.chunks());
    assertEquals("2026-01-02T03:04:05Z", image.created());
    assertEquals(3, await(quorum.kv.range(KeyRange.prefix(key(ContentLibrary.BLOBS + image.hex() + "/")))).kvs().size());
    ByteArrayOutputStream back = new ByteArrayOutputStream();
    for (int n = 0; n < image.chunks(); n++) {
      byte[] chunk = await(library.chunk(image, n));
      assertTrue(chunk.length <= CHUNK);
      back.write(chunk);
    }
    assertArrayEquals(bundle, back.toByteArray());
  }

  @Test
  void uploadingTheSameNameAndBytesAgainChangesNothing() throws Exception {
    byte[] bundle = bytes(1500, 2);
    LibraryImage first = assertInstanceOf(Stored.Added.class, await(library.store(upload("again", bundle)))).image();
    long revision = await(quorum.kv.get(key(ContentLibrary.META + first.image()))).orElseThrow().modRevision();
    LibraryImage second = assertInstanceOf(Stored.AlreadyThere.class, await(library.store(upload("again", bundle))))
        .image();
    assertEquals(first, second);
    assertEquals(revision, await(quorum.kv.get(key(ContentLibrary.META + first.image()))).orElseThrow().modRevision());
  }

  @Test
  void anUploadCutShortIsNeverListed() throws Exception {
    byte[] bundle = bytes(2500, 3);
    // The file holds one chunk of the three the upload claims: writing the second fails.
    Path file = Files.write(files.resolve("short"), java.util.Arrays.copyOf(bundle, CHUNK));
    String hex = sha256(bundle);
    assertThrows(AssertionError.class, () -> await(library.store(new ContentLibrary.Upload("short", hex, 2500, file))));
    assertTrue(await(quorum.kv.get(key(ContentLibrary.chunkKey(hex, 0)))).isPresent(), "the first chunk was written");
    assertTrue(await(library.list()).images().stream().noneMatch(i -> i.name().equals("short")));
    assertTrue(await(library.find(new LibraryRef("short", hex))).isEmpty());

    // Uploading it whole afterwards completes it.
    assertInstanceOf(Stored.Added.class, await(library.store(upload("short", bundle))));
  }

  @Test
  void theSameBytesUnderTwoNamesShareTheirChunksUntilBothAreDeleted() throws Exception {
    byte[] bundle = bytes(1200, 4);
    LibraryImage a = assertInstanceOf(Stored.Added.class, await(library.store(upload("twin-a", bundle)))).image();
    LibraryImage b = assertInstanceOf(Stored.Added.class, await(library.store(upload("twin-b", bundle)))).image();
    assertEquals(a.hex(), b.hex());
    KeyRange chunks = KeyRange.prefix(key(ContentLibrary.BLOBS + a.hex() + "/"));

    assertTrue(await(library.delete(a.ref())));
    assertFalse(await(library.delete(a.ref())), "deleting twice finds nothing the second time");
    assertEquals(2, await(quorum.kv.range(chunks)).kvs().size(), "twin-b still needs the chunks");
    assertArrayEquals(java.util.Arrays.copyOf(bundle, CHUNK), await(library.chunk(b, 0)));

    assertTrue(await(library.delete(b.ref())));
    assertEquals(0, await(quorum.kv.range(chunks)).kvs().size());
  }

  @Test
  void theListingHoldsEveryImageByNameWithItsSize() throws Exception {
    await(library.store(upload("list-b", bytes(300, 5))));
    await(library.store(upload("list-a", bytes(200, 6))));
    List<LibraryImage> listed = await(library.list()).images().stream()
        .filter(i -> i.name().startsWith("list-")).toList();
    assertEquals(List.of("list-a", "list-b"), listed.stream().map(LibraryImage::name).toList());
    assertEquals(List.of(200L, 300L), listed.stream().map(LibraryImage::size).toList());
  }

  @Test
  void anUploadPastTheLibrarysRoomIsRefusedAndStoresNothing() throws Exception {
    var small = new ContentLibrary(quorum.kv, new LibrarySettings(8_000, 8_000, CHUNK, Path.of("unused")),
        Clock.systemUTC(), ForkJoinPool.commonPool());
    long used = ContentLibrary.usedBytes(await(small.list()).images());
    byte[] bundle = bytes((int) Math.max(1, 8_001 - used), 7);
    assertInstanceOf(Stored.Full.class, await(small.store(upload("full", bundle))));
    assertTrue(await(quorum.kv.range(KeyRange.prefix(key(ContentLibrary.BLOBS + sha256(bundle))))).kvs().isEmpty());
  }

  private ContentLibrary.Upload upload(String name, byte[] bundle) throws Exception {
    Path file = Files.write(files.resolve(name + "-" + System.nanoTime()), bundle);
    return new ContentLibrary.Upload(name, sha256(bundle), bundle.length, file);
  }

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static byte[] key(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
