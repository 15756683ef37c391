package io.awssecretsdriver.stage;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
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

  /** Written out as text: an ObjectMapper would put classes that no stage uses into the archive. */
  private static Path writePayload(Path tmp) throws IOException {
    return Files.writeString(tmp.resolve("response.json"), """
        {"id": 1,
         "job_info": {"project_id": 1, "project_full_path": "cds/training"},
         "git_info": {"ref": "main", "ref_type": "branch", "protected": false},
         "variables": [{"key": "AWS_REGION", "value": "us-east-1"}],
         "secrets": {
           "DB_PASSWORD": {"aws_secrets_manager": {"secret_id": "cds/db", "field": "password", "server": {
             "region": "us-east-1", "jwt": "header.payload.signature", "role_arn": "arn:aws:iam::123456789012:role/cds"}},
             "file": false},
           "DB_FILE": {"aws_secrets_manager": {"secret_id": "cds/db", "server": {"region": "us-east-1"}}}}}
        """);
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
      body = ("{\"ARN\":\"arn:aws:secretsmanager:us-east-1:123456789012:secret:cds/db-AbCdEf\",\"Name\":\"cds/db\","
          + "\"VersionId\":\"00000000-0000-0000-0000-000000000000\",\"SecretString\":\""
          + new String(JsonStringEncoder.getInstance().quoteAsString(SECRET)) + "\"}").getBytes(StandardCharsets.UTF_8);
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
