package io.awssecretsdriver.doctor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Every check's result, in the order they are shown; healthy when none failed. */
public record DoctorReport(List<CheckResult> checks) {
  public DoctorReport {
    checks = List.copyOf(checks);
  }

  public boolean ok() {
    return checks.stream().noneMatch(c -> c.status() == Status.FAIL);
  }

  /** {@code {"ok": bool, "checks": [{"name", "status", "detail", "fix"}]}}, fix null unless failed. */
  public String json() {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode().put("ok", ok());
    ArrayNode list = root.putArray("checks");
    for (CheckResult c : checks) {
      ObjectNode n = list.addObject().put("name", c.name()).put("status", c.status().name()).put("detail", c.detail());
      c.fix().ifPresentOrElse(f -> n.put("fix", f), () -> n.putNull("fix"));
    }
    return root.toString();
  }
}
