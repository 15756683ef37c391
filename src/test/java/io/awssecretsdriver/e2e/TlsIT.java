package io.awssecretsdriver.e2e;

import static io.awssecretsdriver.testing.Checks.valueIs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awssecretsdriver.testing.FakeAws;
import io.awssecretsdriver.testing.Job;
import io.awssecretsdriver.testing.JobRun;
import io.awssecretsdriver.testing.RunnerSimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets Manager over TLS. The driver loads the JVM's trust store only at the first handshake, so
 * these prove that the deferred trust manager still checks the chain and the host name exactly as
 * the default one does, and that an untrusted endpoint fails with a message an admin can act on.
 */
class TlsIT {
  private static final String PASSWORD = "fake-aws-tls";
  private static final String VALUE = "Db-Passw0rd-over-tls";

  @TempDir Path work;

  @Test
  void aTrustedCertificateForTheEndpointsAddressResolves() throws Exception {
    JobRun run = runAgainst(keyStore("server", "ip:127.0.0.1"), true);
    assertEquals(JobRun.Outcome.SUCCESS, run.outcome(), run::toString);
    assertTrue(run.log().contains("DATABASE_PASSWORD=value-ok"), run::toString);
  }

  @Test
  void aCertificateOutsideTheTrustStoreFailsAsAnInfrastructureFault() throws Exception {
    JobRun run = runAgainst(keyStore("server", "ip:127.0.0.1"), false);
    assertEquals(JobRun.Outcome.SYSTEM_FAILURE, run.outcome(), run::toString);
    assertTrue(run.log().contains("TLS handshake with Secrets Manager failed"), run::toString);
    assertTrue(run.log().contains("javax.net.ssl.trustStore"), run::toString);
  }

  @Test
  void aTrustedCertificateForAnotherHostIsRefused() throws Exception {
    JobRun run = runAgainst(keyStore("server", "dns:elsewhere.example"), true);
    assertEquals(JobRun.Outcome.SYSTEM_FAILURE, run.outcome(), run::toString);
    assertTrue(run.log().contains("TLS handshake with Secrets Manager failed"), run::toString);
  }

  private JobRun runAgainst(Path serverKeys, boolean trusted) throws Exception {
    Path trustStore = work.resolve("trust.p12");
    keytool("-exportcert", "-alias", "fake-aws", "-keystore", serverKeys.toString(), "-storepass", PASSWORD, "-file", work.resolve("server.cer").toString());
    keytool("-importcert", "-noprompt", "-alias", "fake-aws", "-file", work.resolve("server.cer").toString(),
        "-keystore", trustStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
    Path secrets = Files.createDirectories(work.resolve("secrets"));
    Path config = Files.writeString(work.resolve("driver.yml"), "secrets_dir: " + secrets + "\n");
    try (FakeAws aws = new FakeAws(serverKeys, PASSWORD)) {
      aws.secret("app-secrets/database", "{\"password\":\"" + VALUE + "\"}");
      Map<String, String> env = aws.managerEnv();
      env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", aws.httpsEndpoint());
      env.put("AWS_ENDPOINT_URL_STS", aws.httpsEndpoint());
      if (trusted) {
        env.put("AWS_SECRETS_DRIVER_JAVA_OPTS", "-Djavax.net.ssl.trustStore=" + trustStore + " -Djavax.net.ssl.trustStorePassword=" + PASSWORD);
      }
      JobRun run = new RunnerSimulator(work.resolve("runner"), env).config(config)
          .run(Job.fixture("iam-role").script(valueIs("DATABASE_PASSWORD", VALUE)));
      try (var left = Files.list(secrets)) {
        assertEquals(List.of(), left.toList(), "secret files left after cleanup");
      }
      return run;
    }
  }

  /** A PKCS#12 store with an EC key and a self-signed certificate for the given subject alternative name. */
  private Path keyStore(String name, String subjectAltName) throws Exception {
    Path store = work.resolve(name + ".p12");
    keytool("-genkeypair", "-alias", "fake-aws", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=fake-aws",
        "-ext", "SAN=" + subjectAltName, "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
    return store;
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
    }
  }
}
