package io.awssecretsdriver.stage;

import java.util.List;

/** One command of the driver; returns the process exit code. */
interface Stage {
  int run(List<String> args);
}
