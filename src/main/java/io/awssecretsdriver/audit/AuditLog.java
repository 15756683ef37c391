package io.awssecretsdriver.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.awssecretsdriver.failure.DriverException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * The JSON-lines audit log. Each job's lines go in one append under an exclusive file lock, so
 * lines of concurrent jobs never interleave.
 */
public final class AuditLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;

  public AuditLog(Path file) {
    this.file = file;
  }

  public void append(List<AuditRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    StringBuilder lines = new StringBuilder();
    try {
      for (AuditRecord r : records) {
        lines.append(JSON.writeValueAsString(r)).append('\n');
      }
      try (FileChannel ch = FileChannel.open(file,
              Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
          FileLock lock = ch.lock()) {
        ByteBuffer buf = ByteBuffer.wrap(lines.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      }
    } catch (IOException e) {
      throw DriverException.system("Cannot append to the audit log " + file + " (" + e.getClass().getSimpleName()
          + "): check that its directory exists and is writable by the runner's user.");
    }
  }
}
