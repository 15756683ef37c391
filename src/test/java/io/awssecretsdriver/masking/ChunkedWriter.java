package io.awssecretsdriver.masking;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Random;

/** Feeds a text through a masking stream in one write or in random pieces, the way pipes deliver it. */
final class ChunkedWriter {

  private ChunkedWriter() {
  }

  static byte[] maskOneShot(Masker masker, byte[] text) {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = masker.wrap(sink)) {
      out.write(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sink.toByteArray();
  }

  /**
   * Writes {@code text} in random pieces: single bytes through {@code write(int)}, short and long
   * arrays at random offsets of a larger buffer, with an occasional flush in between.
   */
  static byte[] maskInRandomChunks(Masker masker, byte[] text, Random random) {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = masker.wrap(sink)) {
      int pos = 0;
      while (pos < text.length) {
        int n = switch (random.nextInt(4)) {
          case 0 -> 1;
          case 1 -> 1 + random.nextInt(8);
          case 2 -> 1 + random.nextInt(100);
          default -> 1 + random.nextInt(5000);
        };
        n = Math.min(n, text.length - pos);
        if (n == 1 && random.nextBoolean()) {
          out.write(text[pos]);
        } else {
          // Copy into a larger array at an offset, so offsets other than 0 are exercised.
          int pad = random.nextInt(4);
          byte[] buf = new byte[n + 2 * pad];
          System.arraycopy(text, pos, buf, pad, n);
          out.write(buf, pad, n);
        }
        pos += n;
        if (random.nextInt(10) == 0) {
          out.flush();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sink.toByteArray();
  }

  /** Writes byte by byte. */
  static byte[] maskByteByByte(Masker masker, byte[] text) {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = masker.wrap(sink)) {
      for (byte b : text) {
        out.write(b);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sink.toByteArray();
  }
}
