package io.awssecretsdriver.job;

import io.awssecretsdriver.failure.DriverException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The bytes of {@code JOB_RESPONSE_FILE}. Looking for a word in them is far cheaper than parsing,
 * so prepare can start loading the AWS SDK on the other core before anything else.
 */
public record RawPayload(Path file, byte[] bytes) {

  public static RawPayload read(Path file) {
    String where = where(file);
    try {
      if (Files.size(file) > JobPayload.MAX_BYTES) {
        throw DriverException.system(where + " is larger than " + (JobPayload.MAX_BYTES >> 20) + " MiB: it is not a job payload.");
      }
      return new RawPayload(file, Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw DriverException.system(where + " does not exist: the runner writes it for every stage; check that this driver runs under GitLab Runner's custom executor.");
    } catch (IOException e) {
      throw DriverException.system(where + " cannot be read: " + e.getClass().getSimpleName() + ". Check its permissions.");
    }
  }

  /** True when the text occurs anywhere in the payload (a hint, never a decision). */
  public boolean mentions(String text) {
    return new String(bytes, StandardCharsets.ISO_8859_1).contains(text);
  }

  public JobPayload parse() {
    return JobPayload.parse(this);
  }

  String where() {
    return where(file);
  }

  private static String where(Path file) {
    return "JOB_RESPONSE_FILE (" + file + ")";
  }

  @Override
  public String toString() {
    return "RawPayload[" + file + ", " + bytes.length + " bytes]";
  }
}
