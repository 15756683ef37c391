package io.awssecretsdriver.resolution;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A secret's value the moment it leaves AWS: text ({@code SecretString}, or a field of it) or bytes
 * ({@code SecretBinary}). {@code toString()} never shows it.
 */
public sealed interface SecretValue permits SecretValue.Text, SecretValue.Binary {

  /** The bytes a {@code file: true} variable's file holds. */
  byte[] bytes();

  /** The text a {@code file: false} variable holds: binary secrets as standard base64, as the runner does. */
  String variableText();

  record Text(String text) implements SecretValue {
    @Override
    public byte[] bytes() {
      return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String variableText() {
      return text;
    }

    @Override
    public String toString() {
      return "SecretValue.Text[" + text.length() + " chars]";
    }
  }

  record Binary(byte[] data) implements SecretValue {
    public Binary {
      data = data.clone();
    }

    @Override
    public byte[] bytes() {
      return data.clone();
    }

    @Override
    public String variableText() {
      return Base64.getEncoder().encodeToString(data);
    }

    @Override
    public String toString() {
      return "SecretValue.Binary[" + data.length + " bytes]";
    }
  }
}
