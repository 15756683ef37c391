package io.awssecretsdriver.masking;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Obviously correct, slow masking used as the oracle of the property tests: it marks every byte
 * of every occurrence of every pattern, then replaces each maximal run of marked bytes by one
 * replacement.
 */
final class ReferenceMasking {

  private ReferenceMasking() {
  }

  /** The distinct patterns the masker derives from {@code values}. */
  static List<byte[]> patternsOf(List<byte[]> values, int minLength) {
    List<byte[]> patterns = new ArrayList<>();
    for (byte[] value : values) {
      patterns.addAll(MaskPatterns.of(value, minLength));
    }
    return patterns;
  }

  static byte[] mask(byte[] text, List<byte[]> patterns) {
    boolean[] covered = new boolean[text.length];
    for (byte[] p : patterns) {
      for (int at = indexOf(text, p, 0); at >= 0; at = indexOf(text, p, at + 1)) {
        Arrays.fill(covered, at, at + p.length, true);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length);
    for (int i = 0; i < text.length; i++) {
      if (!covered[i]) {
        out.write(text[i]);
      } else if (i == 0 || !covered[i - 1]) {
        out.writeBytes(Masker.REPLACEMENT);
      }
    }
    return out.toByteArray();
  }

  static int indexOf(byte[] text, byte[] p, int from) {
    if (p.length == 0) {
      return -1;
    }
    byte first = p[0];
    for (int i = from, last = text.length - p.length; i <= last; i++) {
      if (text[i] == first && Arrays.equals(text, i, i + p.length, p, 0, p.length)) {
        return i;
      }
    }
    return -1;
  }

  static boolean containsAny(byte[] text, List<byte[]> patterns) {
    for (byte[] p : patterns) {
      if (indexOf(text, p, 0) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** The pieces of {@code output} between replacement markers. */
  static List<byte[]> splitAtReplacements(byte[] output) {
    List<byte[]> segments = new ArrayList<>();
    int start = 0;
    for (int at = indexOf(output, Masker.REPLACEMENT, 0); at >= 0; at = indexOf(output, Masker.REPLACEMENT, start)) {
      segments.add(Arrays.copyOfRange(output, start, at));
      start = at + Masker.REPLACEMENT.length;
    }
    segments.add(Arrays.copyOfRange(output, start, output.length));
    return segments;
  }

  /** Length of the longest suffix of {@code text[0, end)} that is a proper prefix of some pattern. */
  static int pendingPrefixLength(byte[] text, int end, List<byte[]> patterns) {
    int longest = 0;
    for (byte[] p : patterns) {
      for (int j = Math.min(p.length - 1, end); j > longest; j--) {
        if (Arrays.equals(text, end - j, end, p, 0, j)) {
          longest = j;
          break;
        }
      }
    }
    return longest;
  }
}
