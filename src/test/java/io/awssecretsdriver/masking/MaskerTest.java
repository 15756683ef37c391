package io.awssecretsdriver.masking;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MaskerTest {

  private static final int SPARSE_ONLY = 256; // dense table holds the root row alone

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, ISO_8859_1);
  }

  private static Masker masker(String... values) {
    return Masker.of(Arrays.stream(values).map(MaskerTest::bytes).toList());
  }

  /** Masks with the default automaton and with the sparse-only one, checks both agree, returns the result. */
  private static String mask(String input, String... values) {
    List<byte[]> list = Arrays.stream(values).map(MaskerTest::bytes).toList();
    String dense = text(ChunkedWriter.maskOneShot(Masker.of(list), bytes(input)));
    String sparse = text(ChunkedWriter.maskOneShot(Masker.of(list, Masker.DEFAULT_MIN_LENGTH, SPARSE_ONLY), bytes(input)));
    assertEquals(dense, sparse, "dense and sparse automaton disagree");
    return dense;
  }

  @Test
  void masksValueSplitAcrossWrites() throws IOException {
    Masker masker = masker("hunter2hunter2");
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    OutputStream out = masker.wrap(sink);
    out.write(bytes("login hunter2h"));
    out.write(bytes("unter2 ok\n"));
    out.close();
    assertEquals("login [MASKED] ok\n", text(sink.toByteArray()));
  }

  @Test
  void masksValueWrittenOneByteAtATime() {
    Masker masker = masker("hunter2hunter2");
    assertEquals("a [MASKED] b", text(ChunkedWriter.maskByteByByte(masker, bytes("a hunter2hunter2 b"))));
  }

  @Test
  void longerValueWinsWhenOneIsPrefixOfAnother() {
    assertEquals("x [MASKED] y", mask("x password123456 y", "password123", "password123456"));
    assertEquals("x [MASKED] y", mask("x password123 y", "password123", "password123456"));
    assertEquals("x [MASKED]45 y", mask("x password12345 y", "password123", "password123456"));
  }

  @Test
  void valueInsideAnotherValueIsCoveredByOneReplacement() {
    assertEquals("<[MASKED]>", mask("<AAAsecretvalueBBB>", "secretvalue", "AAAsecretvalueBBB"));
  }

  @Test
  void overlappingAndAdjacentOccurrencesBecomeOneReplacement() {
    assertEquals("[[MASKED]]", mask("[supersecretsupersecret]", "supersecret"));
    assertEquals("[[MASKED]]", mask("[abcdefgh12345678]", "abcdefgh", "12345678"));
    assertEquals("[[MASKED]]", mask("[abcdefghijkl]", "abcdefghij", "cdefghijkl"));
    assertEquals("[[MASKED] [MASKED]]", mask("[abcdefgh 12345678]", "abcdefgh", "12345678"));
  }

  @Test
  void laterLongerMatchJoinsEarlierSeparateMatches() {
    // "cdefghij" and "mnopqrst" are found first; the long value, found last, spans both.
    assertEquals("<[MASKED]>", mask("<abcdefghijklmnopqrstuv>", "cdefghij", "mnopqrst", "abcdefghijklmnopqrstuv"));
  }

  @Test
  void masksEveryLineOfMultiLinePemValuePrintedWithCat() {
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n"
        + "VJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDu\n"
        + "-----END PRIVATE KEY-----\n";
    assertEquals("$ cat key.pem\n[MASKED]$ echo done\n", mask("$ cat key.pem\n" + pem + "$ echo done\n", pem));
    // Printed line by line with a prefix (sed 's/^/> /'), every line is still masked.
    String prefixed = Arrays.stream(pem.split("\n")).map(l -> "> " + l + "\n").reduce("", String::concat);
    assertEquals("> [MASKED]\n> [MASKED]\n> [MASKED]\n> [MASKED]\n", mask(prefixed, pem));
    // A value stored with CRLF line ends still masks its lines printed with LF.
    String crlf = pem.replace("\n", "\r\n");
    assertEquals("> [MASKED]\n> [MASKED]\n> [MASKED]\n> [MASKED]\n", mask(prefixed, crlf));
  }

  @Test
  void masksStandardBase64WithAndWithoutPadding() {
    assertEquals("c3VwZXJzZWNyZXR2YWx1ZQ==", Base64.getEncoder().encodeToString(bytes("supersecretvalue")));
    assertEquals("token=[MASKED]\n", mask("token=c3VwZXJzZWNyZXR2YWx1ZQ==\n", "supersecretvalue"));
    assertEquals("token=[MASKED]\n", mask("token=c3VwZXJzZWNyZXR2YWx1ZQ\n", "supersecretvalue"));
  }

  @Test
  void masksUrlSafeBase64() {
    byte[] value = {(byte) 0xfb, (byte) 0xff, (byte) 0xbf, 'k', 'e', 'y', '-', 'b', 'y', 't', 'e', 's', (byte) 0xfe};
    String std = Base64.getEncoder().encodeToString(value);
    String url = Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    assertTrue(std.contains("+") || std.contains("/"), "value must exercise the alphabet difference");
    Masker masker = Masker.of(List.of(value));
    assertEquals("jwt=[MASKED];", text(ChunkedWriter.maskOneShot(masker, bytes("jwt=" + url + ";"))));
    assertEquals("std=[MASKED];", text(ChunkedWriter.maskOneShot(masker, bytes("std=" + std + ";"))));
  }

  @Test
  void masksBase64OfValueInsideLargerEncodedText() {
    String value = "Sup3r-S3cret-Passw0rd";
    for (String before : List.of("", "A", "AB", "USER=admin\nPASSWORD=")) {
      byte[] plain = bytes(before + value + "\nHOST=db.internal\n");
      String encoded = Base64.getEncoder().encodeToString(plain);
      int offset = before.length();
      int firstPure = (8 * offset + 5) / 6;
      int endPure = 8 * (offset + value.length()) / 6;
      String expected = encoded.substring(0, firstPure) + "[MASKED]" + encoded.substring(endPure);
      assertEquals(expected, mask(encoded, value), "value at byte offset " + offset);
    }
  }

  @Test
  void masksBase64WrappedAt76Columns() {
    byte[] value = new byte[100];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) ('a' + i % 26);
    }
    String wrapped = Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(value) + "\n";
    assertEquals(2, wrapped.split("\n").length);
    Masker masker = Masker.of(List.of(value));
    assertEquals("[MASKED]\n[MASKED]\n", text(ChunkedWriter.maskOneShot(masker, bytes(wrapped))));
  }

  @Test
  void masksPercentEncodedForms() {
    String value = "p@ss w0rd/+=&x";
    assertEquals("https://u:[MASKED]@host/", mask("https://u:p%40ss%20w0rd%2F%2B%3D%26x@host/", value));
    assertEquals("https://u:[MASKED]@host/", mask("https://u:p%40ss%20w0rd%2f%2b%3d%26x@host/", value));
    assertEquals("a=[MASKED]&b=1", mask("a=p%40ss+w0rd%2F%2B%3D%26x&b=1", value));
    assertEquals("a=[MASKED]&b=1", mask("a=p%40ss+w0rd%2f%2b%3d%26x&b=1", value));
  }

  @Test
  void masksJsonEscapedForm() {
    String value = "pa\"ss\\word\nline2\ttab/slash\u0001";
    assertEquals("{\"password\":\"[MASKED]\"}",
        mask("{\"password\":\"pa\\\"ss\\\\word\\nline2\\ttab/slash\\u0001\"}", value));
    assertEquals("{\"password\":\"[MASKED]\"}",
        mask("{\"password\":\"pa\\\"ss\\\\word\\nline2\\ttab\\/slash\\u0001\"}", value));
    assertEquals("{\"password\":\"[MASKED]\"}",
        mask("{\"password\":\"pa\\\"ss\\\\word\\nline2\\ttab/slash\\u0001\"}", value));
  }

  @Test
  void reportsTooShortValuesAndDoesNotMaskThem() {
    Masker masker = masker("short", "", "longenough1", "1234567");
    assertEquals(List.of(0, 1, 3), masker.tooShort());
    assertEquals("short [MASKED] 1234567",
        text(ChunkedWriter.maskOneShot(masker, bytes("short longenough1 1234567"))));
  }

  @Test
  void honoursCustomMinimumLength() {
    Masker masker = Masker.of(List.of(bytes("abcd"), bytes("abc")), 4);
    assertEquals(List.of(1), masker.tooShort());
    assertEquals("x[MASKED]y abc", text(ChunkedWriter.maskOneShot(masker, bytes("xabcdy abc"))));
    assertThrows(IllegalArgumentException.class, () -> Masker.of(List.of(), 0));
  }

  @Test
  void flushHoldsBackOnlyPartialMatchSuffix() throws IOException {
    Masker masker = masker("supersecret");
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    OutputStream out = masker.wrap(sink);
    out.write(bytes("Enter: sup"));
    out.flush();
    assertEquals("Enter: ", text(sink.toByteArray()));
    out.write(bytes("ersecret"));
    out.flush();
    assertEquals("Enter: [MASKED]", text(sink.toByteArray()), "a complete match that nothing extends is released");
    out.write(bytes("\nEnter: sup"));
    out.write(bytes("per\n"));
    out.flush();
    assertEquals("Enter: [MASKED]\nEnter: supper\n", text(sink.toByteArray()), "a broken partial match is released");
    out.close();
  }

  @Test
  void flushEmitsPromptWithoutNewlineAtOnce() throws IOException {
    Masker masker = masker("supersecret");
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    OutputStream out = masker.wrap(sink);
    out.write(bytes("Password: "));
    out.flush();
    assertEquals("Password: ", text(sink.toByteArray()));
    out.close();
  }

  @Test
  void completeMatchThatALongerValueCouldExtendIsHeldUntilDecided() throws IOException {
    Masker masker = masker("password123", "password123456");
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    OutputStream out = masker.wrap(sink);
    out.write(bytes("x password123"));
    out.flush();
    assertEquals("x ", text(sink.toByteArray()));
    out.write(bytes("4"));
    out.write(bytes("56 y"));
    out.flush();
    assertEquals("x [MASKED] y", text(sink.toByteArray()));
    out.close();
  }

  @Test
  void closeReleasesHeldPartialMatchUnchangedAndClosesUnderlying() throws IOException {
    AtomicBoolean closed = new AtomicBoolean();
    ByteArrayOutputStream sink = new ByteArrayOutputStream() {
      @Override
      public void close() {
        closed.set(true);
      }
    };
    OutputStream out = masker("supersecret").wrap(sink);
    out.write(bytes("tail supersecre"));
    out.close();
    assertEquals("tail supersecre", text(sink.toByteArray()));
    assertTrue(closed.get());
    out.close(); // idempotent
    assertThrows(IOException.class, () -> out.write('x'));
  }

  @Test
  void masksHundredsOfValuesAtOnce() {
    List<byte[]> values = new ArrayList<>();
    StringBuilder input = new StringBuilder();
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      String value = String.format("tok-%04d-%s", i, Integer.toHexString(i * 7919 + 12345));
      values.add(bytes(value));
      input.append("line ").append(i).append(": ").append(value).append(" end\n");
      expected.append("line ").append(i).append(": [MASKED] end\n");
    }
    for (int cap : new int[] {MatchAutomaton.DEFAULT_MAX_DENSE_ENTRIES, SPARSE_ONLY, 4096}) {
      Masker masker = Masker.of(values, Masker.DEFAULT_MIN_LENGTH, cap);
      assertEquals(expected.toString(), text(ChunkedWriter.maskOneShot(masker, bytes(input.toString()))), "cap " + cap);
    }
  }

  @Test
  void streamsOfOneMaskerAreIndependent() throws IOException {
    Masker masker = masker("supersecret");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    OutputStream out = masker.wrap(stdout);
    OutputStream err = masker.wrap(stderr);
    out.write(bytes("o: super"));
    err.write(bytes("e: supers"));
    out.write(bytes("secret\n"));
    err.write(bytes("uper\n"));
    out.close();
    err.close();
    assertEquals("o: [MASKED]\n", text(stdout.toByteArray()));
    assertEquals("e: supersuper\n", text(stderr.toByteArray()));
  }

  @Test
  void passesBinaryBytesThrough() {
    byte[] input = {0, (byte) 0xff, (byte) 0xc3, 0x28, '\n', (byte) 0x80, 0, 's', 'u', 'p'};
    assertArrayEquals(input, ChunkedWriter.maskOneShot(masker("supersecret"), input));
  }

  @Test
  void masksBinaryValue() {
    byte[] value = {0, 1, 2, (byte) 0xff, (byte) 0xfe, '\n', (byte) 0x80, 0x7f, 0};
    byte[] input = new byte[value.length + 4];
    System.arraycopy(value, 0, input, 2, value.length);
    input[0] = 'a';
    input[1] = 0;
    input[input.length - 2] = 0;
    input[input.length - 1] = 'z';
    assertEquals("a\0[MASKED]\0z", text(ChunkedWriter.maskOneShot(Masker.of(List.of(value)), input)));
  }

  @Test
  void maskerWithoutValuesPassesEverythingThrough() {
    Masker masker = Masker.of(List.of());
    assertEquals("anything\n", text(ChunkedWriter.maskOneShot(masker, bytes("anything\n"))));
    assertEquals(List.of(), masker.tooShort());
  }

  @Test
  void underlyingFailureMakesFurtherWritesFail() throws IOException {
    OutputStream failing = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("pipe closed");
      }
    };
    OutputStream out = masker("supersecret").wrap(failing);
    assertThrows(IOException.class, () -> out.write(bytes("hello\n")));
    assertThrows(IOException.class, () -> out.write(bytes("supersecret\n")));
    out.close();
  }

  @Test
  void messagesAndToStringNeverContainValues() {
    Masker masker = masker("supersecret", "short");
    assertFalse(masker.toString().contains("supersecret"));
    assertFalse(masker.toString().contains("short"));
    assertFalse(masker.wrap(new ByteArrayOutputStream()).toString().contains("supersecret"));
    List<byte[]> withNull = new ArrayList<>();
    withNull.add(bytes("supersecret"));
    withNull.add(null);
    NullPointerException e = assertThrows(NullPointerException.class, () -> Masker.of(withNull));
    assertFalse(e.getMessage().contains("supersecret"));
  }

  @Test
  void replacementIsTheGitLabMarker() {
    assertEquals("[MASKED]", text(Masker.REPLACEMENT));
    assertEquals(8, Masker.DEFAULT_MIN_LENGTH);
  }
}
