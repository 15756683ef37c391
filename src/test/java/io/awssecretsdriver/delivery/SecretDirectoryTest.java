package io.awssecretsdriver.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awssecretsdriver.failure.DriverException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretDirectoryTest {
  @TempDir Path base;
  @TempDir Path jobTmp;

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void filesAre0600InA0700DirectoryAndTheManifestIsReadBack() throws Exception {
    SecretDirectory d = SecretDirectory.locate(Optional.of(base), jobTmp);
    d.create();
    Path f = d.writeValue("DB_PASSWORD", "value".getBytes(StandardCharsets.UTF_8));
    d.writeManifest(List.of(new DeliveredSecret("DB_PASSWORD", true, false)));
    assertEquals("rwx------", mode(d.path()));
    assertEquals("rw-------", mode(f));
    assertEquals("rw-------", mode(d.path().resolve(".manifest.json")));
    assertArrayEquals("value".getBytes(StandardCharsets.UTF_8), d.readValue("DB_PASSWORD"));
    assertEquals(List.of(new DeliveredSecret("DB_PASSWORD", true, false)), d.manifest());
  }

  @Test
  void everyStageFindsTheSameDirectoryFromTmpdirAlone() {
    assertEquals(SecretDirectory.locate(Optional.of(base), jobTmp).path(), SecretDirectory.locate(Optional.of(base), jobTmp).path());
    assertFalse(SecretDirectory.locate(Optional.of(base), jobTmp).path()
        .equals(SecretDirectory.locate(Optional.of(base), jobTmp.resolve("other")).path()));
  }

  @Test
  void removeDeletesEverythingAndIsIdempotent() throws Exception {
    SecretDirectory d = SecretDirectory.locate(Optional.of(base), jobTmp);
    d.create();
    d.writeValue("A", new byte[100_000]);
    d.writeManifest(List.of());
    assertEquals(3, d.remove());
    assertFalse(Files.exists(d.path()));
    assertEquals(0, d.remove());
  }

  @Test
  void someoneElsesDirectoryIsRefusedNotReused() throws Exception {
    SecretDirectory d = SecretDirectory.locate(Optional.of(base), jobTmp);
    Files.createDirectory(d.path(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
    DriverException e = assertThrows(DriverException.class, d::create);
    assertTrue(e.lines().get(0).contains("already exists and does not belong to this job"), e.lines().get(0));
  }

  @Test
  void anEarlierAttemptOfTheSameJobIsReplaced() {
    SecretDirectory d = SecretDirectory.locate(Optional.of(base), jobTmp);
    d.create();
    d.writeValue("OLD", new byte[] {1});
    d.create();
    assertFalse(Files.exists(d.valueFile("OLD")));
  }

  @Test
  void orphansOfDeadRunnersAreSweptButLiveJobsAreNot() throws Exception {
    Path goneTmp = jobTmp.resolve("gone");
    Files.createDirectories(goneTmp);
    SecretDirectory orphan = SecretDirectory.locate(Optional.of(base), goneTmp);
    orphan.create();
    orphan.writeValue("X", new byte[] {1});
    Files.delete(goneTmp);
    SecretDirectory live = SecretDirectory.locate(Optional.of(base), jobTmp);
    live.create();
    Files.setLastModifiedTime(orphan.path(), FileTime.from(Instant.now().minusSeconds(3600)));
    Files.setLastModifiedTime(live.path(), FileTime.from(Instant.now().minusSeconds(3600)));
    assertEquals(1, SecretDirectory.sweepOrphans(base, Duration.ofMinutes(10), jobTmp));
    assertFalse(Files.exists(orphan.path()));
    assertTrue(Files.exists(live.path()));
  }
}
