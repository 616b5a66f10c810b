package dev.pacific.host.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.host.runtime.ContainerLaunch;
import dev.pacific.host.runtime.HostUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ImageServiceTest {

  private final Path root;
  private final Path library;
  private final ImageService images;

  ImageServiceTest() throws Exception {
    root = Files.createTempDirectory("pacific-images-");
    library = Files.createDirectories(root.resolve("library"));
    images = new ImageService(ImageSource.directory(library), root.resolve("cache"));
  }

  @AfterEach
  void cleanUp() {
    HostUnderTest.deleteTree(root);
  }

  /** Puts the bytes in the library and names them as a pod would. */
  private String publish(String name, byte[] tarGz) throws Exception {
    String hex = TarBuilder.sha256(tarGz);
    Files.write(library.resolve(hex + ".tar.gz"), tarGz);
    return name + "@sha256:" + hex;
  }

  private ImageService.Pull.Failed failed(String image) {
    return assertInstanceOf(ImageService.Pull.Failed.class, images.acquire(image));
  }

  @Test
  void aGoodBundleIsUnpackedOnceSharedCountedAndCollectedWhenUnused() throws Exception {
    String image = publish("web", new TarBuilder().dir("bin").file("bin/run.sh", "#!/bin/sh\necho hi\n", 0755)
        .file("data.txt", "x", 0644).gzip());
    var first = assertInstanceOf(ImageService.Pull.Ready.class, images.acquire(image));
    var second = assertInstanceOf(ImageService.Pull.Ready.class, images.acquire(image));
    assertEquals(first.bundle(), second.bundle());
    assertEquals(2, images.users(image));
    assertTrue(Files.isExecutable(first.bundle().resolve("bin/run.sh")));
    assertFalse(Files.isExecutable(first.bundle().resolve("data.txt")));
    images.release(image);
    assertEquals(List.of(), images.collectUnused(), "still used by one pod");
    images.release(image);
    assertEquals(1, images.collectUnused().size());
    assertFalse(Files.exists(first.bundle()));
  }

  @Test
  void aGoodBundleRunsWithItsDirectoryAsWorkingDirectory() throws Exception {
    String image = publish("hello", new TarBuilder().file("run.sh", "#!/bin/sh\necho \"hello from $(pwd)\"\n", 0755).gzip());
    var ready = assertInstanceOf(ImageService.Pull.Ready.class, images.acquire(image));
    try (HostUnderTest host = new HostUnderTest()) {
      var launch = new ContainerLaunch(HostUnderTest.pod("uid-image"), "main", 0, List.of("run.sh"), Map.of(),
          ready.bundle());
      assertEquals(0, host.exitOf(host.started(launch)).exitCode());
      assertEquals("hello from " + ready.bundle().toRealPath() + "\n", host.log(launch));
    }
  }

  @Test
  void anArchiveMadeByGnuTarUnpacks() throws Exception {
    Path src = Files.createDirectories(root.resolve("src/a/very-long-directory-name-".repeat(3) + "x"));
    Files.writeString(src.resolve("file-with-a-long-name-".repeat(4) + ".txt"), "deep");
    Path archive = root.resolve("gnu.tar.gz");
    Process tar = new ProcessBuilder("tar", "-czf", archive.toString(), "-C", root.resolve("src").toString(), ".")
        .inheritIO().start();
    assertEquals(0, tar.waitFor());
    var ready = assertInstanceOf(ImageService.Pull.Ready.class, images.acquire(publish("gnu", Files.readAllBytes(archive))));
    try (var files = Files.walk(ready.bundle())) {
      assertTrue(files.anyMatch(p -> p.getFileName().toString().endsWith(".txt")));
    }
  }

  @Test
  void aWrongDigestIsRefused() throws Exception {
    String image = publish("web", new TarBuilder().file("a", "a", 0644).gzip());
    String hex = image.substring(image.indexOf(':') + 1);
    byte[] other = new TarBuilder().file("b", "b", 0644).gzip();
    Files.write(library.resolve(hex + ".tar.gz"), other); // the library now serves other bytes under that name
    var f = failed(image);
    assertEquals("ErrImagePull", f.reason());
    assertTrue(f.message().contains("digest mismatch"), f.message());
  }

  @Test
  void aMissingImageAndABadNameAreSaidPlainly() {
    var missing = failed("web@sha256:" + "0".repeat(64));
    assertEquals("ErrImagePull", missing.reason());
    assertTrue(missing.message().contains("not found"), missing.message());
    assertEquals("InvalidImageName", failed("web:latest").reason());
  }

  @Test
  void aCorruptArchiveIsRefused() throws Exception {
    byte[] good = new TarBuilder().file("a", "a".repeat(5000), 0644).gzip();
    byte[] cut = java.util.Arrays.copyOf(good, good.length / 2);
    var f = failed(publish("cut", cut));
    assertTrue(f.message().contains("corrupt") || f.message().contains("truncated"), f.message());
    var g = failed(publish("junk", "not a gzip at all".getBytes()));
    assertTrue(g.message().contains("not a gzip"), g.message());
    assertEquals(List.of(), listCache(), "nothing half-unpacked is left in the cache");
  }

  @Test
  void pathTraversalIsRefusedAndNothingLandsOutside() throws Exception {
    for (TarBuilder hostile : List.of(
        new TarBuilder().file("ok", "fine", 0644).file("../escaped.txt", "evil", 0644),
        new TarBuilder().file("a/../../escaped.txt", "evil", 0644),
        new TarBuilder().file("/tmp/escaped.txt", "evil", 0644),
        new TarBuilder().symlink("link", "../..").file("link/escaped.txt", "evil", 0644))) {
      var f = failed(publish("evil", hostile.gzip()));
      assertEquals("ErrImagePull", f.reason());
      assertTrue(f.message().contains("refused"), f.message());
    }
    assertFalse(Files.exists(root.resolve("escaped.txt")));
    assertFalse(Files.exists(root.resolve("cache").getParent().resolve("escaped.txt")));
    assertEquals(List.of(), listCache());
  }

  private List<Path> listCache() throws Exception {
    try (var s = Files.list(root.resolve("cache"))) {
      return s.toList();
    }
  }
}
