package io.awssecretsdriver.stage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run behind the class-data-sharing archive ({@code scripts/build-cds}): every stage of
 * one job, in-process, against a canned local endpoint, so that the archive holds the classes a real
 * job loads. Nothing here runs in a real job.
 */
final class CdsTraining {
  private static final String SECRET = "{\"password\":\"cds-training-value\",\"port\":5432}";

  private CdsTraining() {}

  static int run() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", CdsTraining::answer);
    server.start();
    Path tmp = Files.createTempDirectory("aws-secrets-driver-cds");
    try {
      String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
      System.setProperty("aws.endpointUrl", endpoint);
      System.setProperty("aws.accessKeyId", "AKIDCDSTRAINING");
      System.setProperty("aws.secretAccessKey", "cds-training");
      Map<String, String> env = new HashMap<>();
      env.put("TMPDIR", tmp.toString());
      env.put("JOB_RESPONSE_FILE", writePayload(tmp).toString());
      env.put("BUILD_EXIT_CODE_FILE", tmp.resolve("exit-code").toString());
      env.put("CUSTOM_ENV_CI_JOB_ID", "1");
      env.put("AWS_SECRETS_DRIVER_CONFIG", writeConfig(tmp).toString());
      Path script = tmp.resolve("script.sh");
      Files.writeString(script, "echo \"$DB_PASSWORD\" \"$(cat \"$DB_FILE\")\"\n");
      PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
      Driver driver = new Driver(env, new Console(quiet, quiet, false), Main.AWS, Clock.systemUTC());
      int failures = 0;
      for (String[] args : new String[][] {{"config"}, {"prepare"}, {"run", script.toString(), "build_script"}, {"cleanup"}}) {
        failures += driver.run(args) == 0 ? 0 : 1;
      }
      return failures == 0 ? 0 : 1;
    } finally {
      server.stop(0);
      try (Stream<Path> files = Files.walk(tmp)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Path writePayload(Path tmp) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode payload = json.createObjectNode();
    payload.put("id", 1);
    payload.putObject("job_info").put("project_id", 1).put("project_full_path", "cds/training");
    payload.putObject("git_info").put("ref", "main").put("ref_type", "branch").put("protected", false);
    payload.putArray("variables").addObject().put("key", "AWS_REGION").put("value", "us-east-1");
    ObjectNode secrets = payload.putObject("secrets");
    ObjectNode oidc = secrets.putObject("DB_PASSWORD");
    oidc.putObject("aws_secrets_manager").put("secret_id", "cds/db").put("field", "password")
        .putObject("server").put("region", "us-east-1").put("jwt", "header.payload.signature")
        .put("role_arn", "arn:aws:iam::123456789012:role/cds");
    oidc.put("file", false);
    secrets.putObject("DB_FILE").putObject("aws_secrets_manager").put("secret_id", "cds/db")
        .putObject("server").put("region", "us-east-1");
    Path file = tmp.resolve("response.json");
    json.writeValue(file.toFile(), payload);
    return file;
  }

  private static Path writeConfig(Path tmp) throws IOException {
    Path file = tmp.resolve("driver.yml");
    Files.writeString(file, "secrets_dir: " + tmp.resolve("secrets") + "\npolicy:\n  default: allow\n  rules:\n"
        + "    - allow: \"cds/**\"\n      protected_ref: false\n");
    Files.createDirectories(tmp.resolve("secrets"));
    return file;
  }

  private static void answer(HttpExchange exchange) throws IOException {
    String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
    byte[] body;
    String type;
    if (target.endsWith("GetSecretValue")) {
      type = "application/x-amz-json-1.1";
      body = new ObjectMapper().createObjectNode()
          .put("ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:cds/db-AbCdEf").put("Name", "cds/db")
          .put("VersionId", "00000000-0000-0000-0000-000000000000").put("SecretString", SECRET)
          .toString().getBytes(StandardCharsets.UTF_8);
    } else {
      type = "text/xml";
      body = ("<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleWithWebIdentityResult>"
          + "<Credentials><AccessKeyId>ASIACDS</AccessKeyId><SecretAccessKey>cds</SecretAccessKey><SessionToken>cds</SessionToken>"
          + "<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult>"
          + "</AssumeRoleWithWebIdentityResponse>").getBytes(StandardCharsets.UTF_8);
    }
    exchange.getRequestBody().readAllBytes();
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
