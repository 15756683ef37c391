package io.awssecretsdriver.stage;

import java.util.ResourceBundle;

/**
 * The {@code System.Logger} of every library in the driver's process, registered as a service: it
 * logs nothing. The driver's stderr is the job log, so no library may write to it (the AWS SDK's
 * SLF4J is bound to its no-op too), and the JDK's default finder sets up java.util.logging on first
 * use, which SnakeYAML triggers in every stage (its constructors ask for a logger).
 */
public final class SilentLoggerFinder extends System.LoggerFinder {
  @Override
  public System.Logger getLogger(String name, Module module) {
    return new System.Logger() {
      @Override
      public String getName() {
        return name;
      }

      @Override
      public boolean isLoggable(Level level) {
        return false;
      }

      @Override
      public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {}

      @Override
      public void log(Level level, ResourceBundle bundle, String format, Object... params) {}
    };
  }
}
