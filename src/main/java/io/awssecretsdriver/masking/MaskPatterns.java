package io.awssecretsdriver.masking;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The byte sequences under which one secret value may show up in a job log: the value itself, the
 * lines of a multi-line value, and the encodings a job typically applies to a secret before
 * printing it (base64 in its variants, URL percent-encoding, JSON string escaping).
 *
 * <p>Every form shorter than the minimum length is dropped: a short pattern would mask ordinary
 * words all over the log, and GitLab itself refuses to mask variables shorter than 8 characters.
 */
final class MaskPatterns {

  /** Line length of the {@code base64} command line tool (coreutils default {@code -w 76}). */
  static final int BASE64_LINE_LENGTH = 76;

  private static final byte[] UPPER_HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] LOWER_HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private MaskPatterns() {
  }

  /**
   * All distinct patterns for {@code value}, the value itself first; empty when the value is
   * shorter than {@code minLength} (such a value cannot be masked at all).
   */
  static List<byte[]> of(byte[] value, int minLength) {
    if (value.length < minLength) {
      return List.of();
    }
    // ByteBuffer compares by content, which makes it a convenient set key for byte arrays.
    Set<ByteBuffer> forms = new LinkedHashSet<>();
    forms.add(ByteBuffer.wrap(value.clone())); // the caller may wipe its array afterwards
    addLines(forms, value);
    addBase64(forms, value, Base64.getEncoder(), Base64.getEncoder().withoutPadding());
    addBase64(forms, value, Base64.getUrlEncoder(), Base64.getUrlEncoder().withoutPadding());
    addPercentEncodings(forms, value);
    addJsonEscapes(forms, value);

    List<byte[]> patterns = new ArrayList<>(forms.size());
    for (ByteBuffer form : forms) {
      if (form.remaining() >= minLength) {
        patterns.add(form.array());
      }
    }
    return patterns;
  }

  /** Each line of a multi-line value, so that printing a PEM key line by line shows no key line. */
  private static void addLines(Set<ByteBuffer> forms, byte[] value) {
    int start = 0;
    for (int i = 0; i <= value.length; i++) {
      if (i == value.length || value[i] == '\n') {
        if (start == 0 && i == value.length) {
          return; // a single line: the value itself is already a pattern
        }
        int end = i;
        if (end > start && value[end - 1] == '\r') {
          end--;
        }
        forms.add(ByteBuffer.wrap(Arrays.copyOfRange(value, start, end)));
        start = i + 1;
      }
    }
  }

  private static void addBase64(Set<ByteBuffer> forms, byte[] value, Base64.Encoder padded, Base64.Encoder unpadded) {
    byte[] full = padded.encode(value);
    forms.add(ByteBuffer.wrap(full));
    forms.add(ByteBuffer.wrap(unpadded.encode(value)));
    addWrappedLines(forms, full);
    // The value inside a larger base64 text (say a base64-encoded .env file or a dockerconfig):
    // its characters then depend on how many bytes precede it within a 3-byte group, and the
    // characters at both ends mix in unknown neighbouring bits. Only the characters computed
    // purely from the value's bits are stable, whatever surrounds it.
    for (int shift = 0; shift < 3; shift++) {
      forms.add(ByteBuffer.wrap(base64Core(value, shift, unpadded)));
    }
  }

  /**
   * The base64 characters that depend only on {@code value}'s bits when the value starts
   * {@code shift} bytes into a 3-byte group of a longer encoded text.
   */
  static byte[] base64Core(byte[] value, int shift, Base64.Encoder unpadded) {
    byte[] shifted = new byte[shift + value.length];
    System.arraycopy(value, 0, shifted, shift, value.length);
    byte[] encoded = unpadded.encode(shifted);
    int firstPure = (8 * shift + 5) / 6; // first sextet that starts at or after the value's first bit
    int endPure = 8 * (shift + value.length) / 6; // sextets ending at or before the value's last bit
    return Arrays.copyOfRange(encoded, firstPure, Math.max(firstPure, endPure));
  }

  /** {@code base64} wraps at 76 characters: every line of the wrapped output is masked on its own. */
  private static void addWrappedLines(Set<ByteBuffer> forms, byte[] encoded) {
    if (encoded.length <= BASE64_LINE_LENGTH) {
      return;
    }
    for (int start = 0; start < encoded.length; start += BASE64_LINE_LENGTH) {
      int end = Math.min(encoded.length, start + BASE64_LINE_LENGTH);
      forms.add(ByteBuffer.wrap(Arrays.copyOfRange(encoded, start, end)));
    }
  }

  private static void addPercentEncodings(Set<ByteBuffer> forms, byte[] value) {
    for (byte[] hex : new byte[][] {UPPER_HEX, LOWER_HEX}) {
      forms.add(ByteBuffer.wrap(percentEncode(value, hex, false)));
      forms.add(ByteBuffer.wrap(percentEncode(value, hex, true)));
    }
  }

  /** RFC 3986 percent-encoding; with {@code spaceAsPlus}, the HTML form variant. */
  static byte[] percentEncode(byte[] value, byte[] hex, boolean spaceAsPlus) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length * 3);
    for (byte b : value) {
      if (isUnreserved(b)) {
        out.write(b);
      } else if (b == ' ' && spaceAsPlus) {
        out.write('+');
      } else {
        out.write('%');
        out.write(hex[(b >> 4) & 0xF]);
        out.write(hex[b & 0xF]);
      }
    }
    return out.toByteArray();
  }

  private static boolean isUnreserved(byte b) {
    return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')
        || b == '-' || b == '.' || b == '_' || b == '~';
  }

  private static void addJsonEscapes(Set<ByteBuffer> forms, byte[] value) {
    forms.add(ByteBuffer.wrap(jsonEscape(value, UPPER_HEX, false)));
    forms.add(ByteBuffer.wrap(jsonEscape(value, UPPER_HEX, true)));
    // Jackson writes upper-case hex digits in its u00XX escapes, most other encoders
    // (Python, Go, JavaScript) lower-case ones.
    forms.add(ByteBuffer.wrap(jsonEscape(value, LOWER_HEX, false)));
    // Python's json.dumps (ensure_ascii, its default) and Jackson's ESCAPE_NON_ASCII write
    // everything outside printable ASCII as UTF-16 escapes.
    String text = decodeUtf8(value);
    if (text != null) {
      forms.add(ByteBuffer.wrap(jsonEscapeAscii(text, LOWER_HEX)));
      forms.add(ByteBuffer.wrap(jsonEscapeAscii(text, UPPER_HEX)));
    }
  }

  /** The value as text, or {@code null} if it is not valid UTF-8 (then no encoder could have produced escapes for it). */
  private static String decodeUtf8(byte[] value) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** JSON string escaping that leaves only printable ASCII as is; other characters become UTF-16 u-escapes. */
  static byte[] jsonEscapeAscii(String text, byte[] hex) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean shortEscape = c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f';
      if ((c >= 0x20 && c < 0x7F) || shortEscape) {
        byte[] escaped = jsonEscape(new byte[] {(byte) c}, hex, false);
        out.write(escaped, 0, escaped.length);
      } else {
        writeEscape(out, 'u');
        out.write(hex[(c >> 12) & 0xF]);
        out.write(hex[(c >> 8) & 0xF]);
        out.write(hex[(c >> 4) & 0xF]);
        out.write(hex[c & 0xF]);
      }
    }
    return out.toByteArray();
  }

  /**
   * The value as the inside of a JSON string, escaped the way Jackson does it: short escapes for
   * quote, backslash and the usual control characters (b, f, n, r, t), a six-character u00XX
   * escape for other control characters, every other byte (including non-ASCII) as is.
   */
  static byte[] jsonEscape(byte[] value, byte[] hex, boolean escapeSlash) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 16);
    for (byte b : value) {
      switch (b) {
        case '"' -> writeEscape(out, '"');
        case '\\' -> writeEscape(out, '\\');
        case '\n' -> writeEscape(out, 'n');
        case '\r' -> writeEscape(out, 'r');
        case '\t' -> writeEscape(out, 't');
        case '\b' -> writeEscape(out, 'b');
        case '\f' -> writeEscape(out, 'f');
        case '/' -> {
          if (escapeSlash) {
            writeEscape(out, '/');
          } else {
            out.write(b);
          }
        }
        default -> {
          if (b >= 0 && b < 0x20) {
            writeEscape(out, 'u');
            out.write('0');
            out.write('0');
            out.write(hex[b >> 4]);
            out.write(hex[b & 0xF]);
          } else {
            out.write(b);
          }
        }
      }
    }
    return out.toByteArray();
  }

  private static void writeEscape(ByteArrayOutputStream out, char c) {
    out.write('\\');
    out.write(c);
  }
}
