package io.awssecretsdriver.delivery;

import io.awssecretsdriver.failure.DriverException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The job's own 0700 directory of 0600 secret files. Every stage finds it from the runner's per-job
 * TMPDIR alone, so cleanup removes it even after a killed stage. Files whose names start with '.' are
 * the driver's own; every other file holds one variable's value.
 */
public final class SecretDirectory {
  static final String PREFIX = "gitlab-aws-secrets-";
  static final String MANIFEST = ".manifest.json";
  static final String OWNER = ".owner";
  /** In the runner's TMPDIR: where prepare put this job's directory, for a cleanup that cannot read the driver config. */
  static final String LOCATION = ".aws-secrets-driver-dir";
  public static final String BASH_ENV = ".bash_env";
  private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY_MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
  private static final FileAttribute<Set<PosixFilePermission>> FILE_MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  private static final Path SHM = Path.of("/dev/shm");

  private final Path path;
  private final Path jobTmpDir;

  private SecretDirectory(Path path, Path jobTmpDir) {
    this.path = path;
    this.jobTmpDir = jobTmpDir;
  }

  /**
   * Where this job's secrets live: under the configured directory, else memory-backed /dev/shm when
   * usable, else the runner's TMPDIR (itself 0700 and removed by the runner after cleanup).
   */
  public static SecretDirectory locate(Optional<Path> configured, Path jobTmpDir) {
    Path tmp = jobTmpDir.toAbsolutePath().normalize();
    Path base = configured.orElseGet(() -> shmUsable() ? SHM : tmp);
    return new SecretDirectory(base.resolve(base.equals(tmp) ? "aws-secrets" : PREFIX + digest(tmp.toString())), tmp);
  }

  private static boolean shmUsable() {
    return Files.isDirectory(SHM) && Files.isWritable(SHM);
  }

  /**
   * A 64-bit FNV-1a hash of the TMPDIR path: unique enough for the runner's random temp names, and
   * unlike a MessageDigest it does not load the security providers (about 40 ms per stage). Squatting
   * is handled by the ownership check, not by the name.
   */
  static String digest(String text) {
    long h = 0xcbf29ce484222325L;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    return java.util.HexFormat.of().toHexDigits(h);
  }

  public Path path() {
    return path;
  }

  public boolean exists() {
    return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
  }

  /** Creates the directory 0700; an existing one of another job or user is refused, never reused. */
  public void create() {
    try {
      Files.createDirectories(path.getParent());
      Files.createDirectory(path, DIRECTORY_MODE);
    } catch (FileAlreadyExistsException e) {
      if (!ownedByThisJob()) {
        throw DriverException.system("The secret directory " + path + " already exists and does not belong to this job: "
            + "remove it, and check who else writes to " + path.getParent() + ".");
      }
      remove(); // a half-finished earlier attempt of this very job
      create();
      return;
    } catch (IOException e) {
      throw DriverException.system("Cannot create the secret directory " + path + " (" + e.getClass().getSimpleName()
          + "): check that " + path.getParent() + " exists and is writable by the runner's user, or set secrets_dir.");
    }
    writeOwn(OWNER, jobTmpDir.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Notes this directory in the runner's TMPDIR, so that cleanup finds it even without a readable driver config. */
  public void recordLocation() {
    try {
      Files.writeString(jobTmpDir.resolve(LOCATION), path.toString());
    } catch (IOException e) {
      // best effort: a cleanup that can read the driver config finds the directory without it
    }
  }

  /** Removes the directory prepare recorded in TMPDIR, when it is this job's own; for cleanup without a driver config. */
  public static int removeRecorded(Path jobTmpDir) {
    Path tmp = jobTmpDir.toAbsolutePath().normalize();
    try {
      SecretDirectory dir = new SecretDirectory(Path.of(Files.readString(tmp.resolve(LOCATION)).trim()), tmp);
      return dir.ownedByThisJob() ? dir.remove() : 0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private boolean ownedByThisJob() {
    try {
      if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
          || !Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).equals(PosixFilePermissions.fromString("rwx------"))
          || !Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).equals(Files.getOwner(jobTmpDir))) {
        return false;
      }
      return owner().filter(o -> o.equals(jobTmpDir.toString())).isPresent();
    } catch (IOException e) {
      return false;
    }
  }

  /** The TMPDIR of the job that made this directory, from its marker. */
  Optional<String> owner() {
    try {
      return Optional.of(Files.readString(path.resolve(OWNER)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Writes one variable's value, 0600 from the first byte. */
  public Path writeValue(String variable, byte[] value) {
    if (variable.startsWith(".") || variable.contains("/")) {
      throw new IllegalArgumentException("not a variable name");
    }
    return write(variable, value);
  }

  public void writeOwn(String name, byte[] content) {
    write(name, content);
  }

  private Path write(String name, byte[] content) {
    Path file = path.resolve(name);
    try (SeekableByteChannel ch = Files.newByteChannel(file,
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), FILE_MODE)) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
    } catch (IOException e) {
      throw DriverException.system("Cannot write a secret file in " + path + " (" + e.getClass().getSimpleName()
          + (e.getMessage() != null && e.getMessage().contains("space") ? ": no space left" : "")
          + "): check free space and permissions there, or set secrets_dir.");
    }
    return file;
  }

  public Path valueFile(String variable) {
    return path.resolve(variable);
  }

  public byte[] readValue(String variable) {
    try {
      return Files.readAllBytes(valueFile(variable));
    } catch (IOException e) {
      throw DriverException.system("The secret file of " + variable + " in " + path + " cannot be read ("
          + e.getClass().getSimpleName() + "): it was removed or its permissions changed since prepare.");
    }
  }

  /** Writes the manifest last and atomically: a stage that sees it sees every value file. */
  public void writeManifest(List<DeliveredSecret> secrets) {
    try {
      byte[] json = Manifest.write(secrets);
      Path tmp = write(".manifest.tmp", json);
      try {
        Files.move(tmp, path.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, path.resolve(MANIFEST), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw DriverException.system("Cannot write the manifest in " + path + " (" + e.getClass().getSimpleName() + ").");
    }
  }

  /** The delivered secrets, or none when prepare delivered nothing. */
  public List<DeliveredSecret> manifest() {
    Path file = path.resolve(MANIFEST);
    try {
      return Manifest.read(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw DriverException.system("The secret manifest " + file + " is unreadable (" + e.getClass().getSimpleName() + "): the job's secret directory was tampered with.");
    }
  }

  /**
   * Overwrites every file with zeros, then deletes it and the directory. Never follows links.
   * Returns how many files were removed; a directory that is already gone is not an error.
   */
  public int remove() {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    if (Files.isSymbolicLink(path)) {
      throw DriverException.system("The secret directory " + path + " is a symbolic link: not removed; check who created it.");
    }
    int removed = 0;
    try (Stream<Path> files = Files.list(path)) {
      for (Path f : files.toList()) {
        if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
          overwrite(f);
        }
        Files.deleteIfExists(f);
        removed++;
      }
      Files.deleteIfExists(path);
    } catch (NoSuchFileException e) {
      return removed;
    } catch (IOException e) {
      throw DriverException.system("Cannot remove the secret directory " + path + " (" + e.getClass().getSimpleName()
          + "): remove it by hand; it holds secret values.");
    }
    return removed;
  }

  /** Best effort: on tmpfs the pages are freed anyway; on a disk it spares the values from a plain undelete. */
  private static void overwrite(Path file) {
    try (SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      long size = ch.size();
      ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(size, 64 * 1024));
      long written = 0;
      while (written < size) {
        zeros.clear().limit((int) Math.min(zeros.capacity(), size - written));
        written += ch.write(zeros);
      }
    } catch (IOException e) {
      // deletion below still removes the name; nothing more can be done here
    }
  }

  /**
   * Removes the directories of jobs whose runner TMPDIR is gone (a runner that died before its
   * cleanup), older than the given age. Only in a shared base such as /dev/shm.
   */
  public static int sweepOrphans(Path base, java.time.Duration minAge, Path jobTmpDir) {
    int swept = 0;
    try (Stream<Path> dirs = Files.list(base)) {
      for (Path d : dirs.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList()) {
        SecretDirectory dir = new SecretDirectory(d, jobTmpDir);
        Optional<String> owner = dir.owner();
        boolean old = Files.getLastModifiedTime(d, LinkOption.NOFOLLOW_LINKS).toInstant()
            .isBefore(java.time.Instant.now().minus(minAge));
        if (owner.isPresent() && old && !Files.exists(Path.of(owner.get()))
            && Files.getOwner(d, LinkOption.NOFOLLOW_LINKS).equals(Files.getOwner(jobTmpDir))) {
          swept += dir.remove() > 0 ? 1 : 0;
        }
      }
    } catch (IOException | RuntimeException e) {
      return swept; // a sweep is housekeeping: it never fails a job
    }
    return swept;
  }

  public Path base() {
    return path.getParent();
  }

  public boolean sharedBase() {
    return !path.getParent().equals(jobTmpDir);
  }
}
