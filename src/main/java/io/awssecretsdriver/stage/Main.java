package io.awssecretsdriver.stage;

import io.awssecretsdriver.aws.AwsSecretStore;
import io.awssecretsdriver.aws.AwsSettings;
import io.awssecretsdriver.config.DriverConfig;
import io.awssecretsdriver.resolution.SecretStore;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.time.Clock;

/** The driver's one entry point and its one {@code System.exit}. */
public final class Main {
  /** Only prepare reaches this, so the other stages never load the AWS SDK. */
  static final SecretStores AWS = new SecretStores() {
    @Override
    public SecretStore open(DriverConfig config) {
      var r = config.resolution();
      return new AwsSecretStore(new AwsSettings(r.apiCallTimeout(), r.apiCallAttemptTimeout(), r.maxAttempts(), Version.userAgent()));
    }

    @Override
    public void rehearse() {
      AwsSecretStore.rehearse();
    }
  };

  private Main() {}

  public static void main(String[] args) {
    // Unbuffered: script output must reach the runner as it is made, and in order with ours.
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
    Driver driver = new Driver(System.getenv(), new Console(out, err, false), Main.AWS, Clock.systemUTC());
    int code = driver.run(args);
    out.flush();
    err.flush();
    System.exit(code);
  }
}
