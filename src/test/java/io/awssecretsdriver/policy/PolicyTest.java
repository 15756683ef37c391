package io.awssecretsdriver.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awssecretsdriver.config.DriverConfigLoader;
import io.awssecretsdriver.job.TrustedJobInfo;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyTest {
  private static final Policy POLICY = DriverConfigLoader.parse("test", """
      policy:
        default: deny
        rules:
          - name: own
            allow: "ci/{project_path}/*"
          - allow: "prod/**"
            protected_ref: true
          - allow: "shared/**"
            auth: oidc
          - deny: "env/{environment}/**"
          - allow: "env/**"
      """).policy();

  private static TrustedJobInfo job(String path, boolean protectedRef, String environment) {
    return new TrustedJobInfo(1, "4711", path, "42", "42", "main", "branch", protectedRef, Optional.ofNullable(environment), Optional.of("push"));
  }

  @Test
  void projectMayReadItsOwnPathOnly() {
    assertTrue(POLICY.decide("ci/acme/payments/db", false, job("acme/payments", false, null)).allowed());
    assertFalse(POLICY.decide("ci/acme/payments-other/db", false, job("acme/payments", false, null)).allowed());
    assertFalse(POLICY.decide("ci/acme/payments/deeper/db", false, job("acme/payments", false, null)).allowed(), "* stops at /");
  }

  @Test
  void projectPathIsTakenLiterallyNotAsAPattern() {
    assertFalse(POLICY.decide("ci/acme/payments/db", false, job("acme/*", false, null)).allowed());
  }

  @Test
  void productionNeedsAProtectedRef() {
    assertTrue(POLICY.decide("prod/app/db", false, job("acme/payments", true, null)).allowed());
    PolicyDecision d = POLICY.decide("prod/app/db", false, job("acme/payments", false, null));
    assertFalse(d.allowed());
    assertEquals("policy.default: deny", d.rule());
  }

  @Test
  void sharedNeedsOidc() {
    assertTrue(POLICY.decide("shared/key", true, job("acme/payments", false, null)).allowed());
    assertFalse(POLICY.decide("shared/key", false, job("acme/payments", false, null)).allowed());
  }

  @Test
  void arnsAnswerToTheirName() {
    assertTrue(POLICY.decide("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/app/db-AbCdEf", false,
        job("acme/payments", true, null)).allowed());
  }

  @Test
  void unknownPlaceholderValueFallsToTheSafeSide() {
    // The deny rule cannot be judged without an environment: it matches, fail closed.
    PolicyDecision d = POLICY.decide("env/production/db", false, job("acme/payments", false, null));
    assertFalse(d.allowed());
    assertEquals("policy.rules[4] (deny: env/{environment}/**)", d.rule());
    assertTrue(POLICY.decide("env/staging/db", false, job("acme/payments", false, "production")).allowed());
  }

  @Test
  void lookupTemplatesFormCandidatesFromTrustedData() {
    LookupTemplates t = new LookupTemplates(List.of("/gitlab/{project_path}/{name}", "/gitlab/{namespace}/{name}", "{name}"));
    assertEquals(List.of("/gitlab/acme/payments/db", "/gitlab/acme/db", "db"), t.candidates("db", job("acme/payments", false, null)));
    assertEquals(List.of("/abs/db"), t.candidates("/abs/db", job("acme/payments", false, null)));
  }
}
