package io.awssecretsdriver.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.awssecretsdriver.failure.DriverException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The job as GitLab sent it, read from {@code JOB_RESPONSE_FILE}. */
public record JobPayload(List<JobVariable> variables, ObjectNode secrets, TrustedJobInfo trusted) {
  /** Far above any real payload; a larger file is a fault, not a job. */
  static final long MAX_BYTES = 64L * 1024 * 1024;

  public static JobPayload read(Path file) {
    return parse(RawPayload.read(file));
  }

  static JobPayload parse(RawPayload raw) {
    String where = raw.where();
    JsonNode root;
    try {
      root = JsonTree.read(raw.bytes());
    } catch (JsonProcessingException e) {
      String line = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"; // stream limits carry no location
      throw DriverException.system(where + " is not valid JSON" + line + ": the runner wrote a broken job payload.");
    } catch (IOException e) {
      throw DriverException.system(where + " cannot be parsed: " + e.getClass().getSimpleName() + ".");
    }
    if (root == null || !root.isObject()) {
      throw DriverException.system(where + " does not hold a JSON object: the runner wrote a broken job payload.");
    }
    return parse(root, where);
  }

  static JobPayload parse(JsonNode root, String where) {
    List<JobVariable> variables = new ArrayList<>();
    JsonNode vars = root.path("variables");
    if (!vars.isMissingNode() && !vars.isNull()) {
      if (!vars.isArray()) {
        throw DriverException.system(where + ": 'variables' must be a list.");
      }
      for (JsonNode v : vars) {
        if (!v.isObject() || !v.path("key").isTextual()) {
          throw DriverException.system(where + ": every entry of 'variables' needs a string 'key'.");
        }
        variables.add(
            new JobVariable(
                v.get("key").asText(),
                v.path("value").isNull() ? "" : v.path("value").asText(""),
                v.path("raw").asBoolean(false),
                v.path("file").asBoolean(false),
                v.path("masked").asBoolean(false)));
      }
    }
    JsonNode secrets = root.path("secrets");
    ObjectNode secretsObject;
    if (secrets.isMissingNode() || secrets.isNull()) {
      secretsObject = JsonTree.NODES.objectNode();
    } else if (secrets.isObject()) {
      secretsObject = (ObjectNode) secrets;
    } else {
      throw DriverException.system(where + ": 'secrets' must be an object of variable names to definitions.");
    }
    return new JobPayload(List.copyOf(variables), secretsObject, trustedInfo(root, variables));
  }

  private static TrustedJobInfo trustedInfo(JsonNode root, List<JobVariable> variables) {
    JsonNode job = root.path("job_info");
    JsonNode git = root.path("git_info");
    return new TrustedJobInfo(
        root.path("id").asLong(0),
        text(job.path("project_id")),
        text(job.path("project_full_path")),
        text(job.path("namespace_id")),
        text(job.path("root_namespace_id")),
        text(git.path("ref")),
        text(git.path("ref_type")),
        git.path("protected").asBoolean(false),
        unambiguous(variables, "CI_ENVIRONMENT_NAME"),
        unambiguous(variables, "CI_PIPELINE_SOURCE"));
  }

  /**
   * A predefined variable's value only when the payload carries one value for it: an override in
   * the job's YAML shows as a second, different entry, and then nothing is trusted.
   */
  private static Optional<String> unambiguous(List<JobVariable> variables, String key) {
    Set<String> values = new HashSet<>();
    for (JobVariable v : variables) {
      if (v.key().equals(key)) {
        values.add(v.value());
      }
    }
    return values.size() == 1 ? Optional.of(values.iterator().next()) : Optional.empty();
  }

  private static String text(JsonNode node) {
    return node.isValueNode() && !node.isNull() ? node.asText() : "";
  }

  @Override
  public String toString() {
    return "JobPayload[job " + trusted.jobId() + ", " + variables.size() + " variables]";
  }
}
