package io.awssecretsdriver.masking;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.URLEncoder;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MaskPatternsTest {

  private static final Pattern HEX_ESCAPE = Pattern.compile("%[0-9A-F]{2}");

  private static Set<String> patterns(String value) {
    return patterns(value.getBytes(UTF_8), Masker.DEFAULT_MIN_LENGTH);
  }

  private static Set<String> patterns(byte[] value, int minLength) {
    return MaskPatterns.of(value, minLength).stream().map(p -> new String(p, ISO_8859_1)).collect(Collectors.toSet());
  }

  private static String latin1(byte[] b) {
    return new String(b, ISO_8859_1);
  }

  @Test
  void includesValueAndItsBase64Forms() {
    Set<String> p = patterns("supersecretvalue!");
    assertTrue(p.contains("supersecretvalue!"));
    assertTrue(p.contains("c3VwZXJzZWNyZXR2YWx1ZSE="));
    assertTrue(p.contains("c3VwZXJzZWNyZXR2YWx1ZSE"));
    assertTrue(p.contains("supersecretvalue%21"));
    assertTrue(p.contains("supersecretvalue!"));
  }

  @Test
  void listsEachFormOnceAndValueFirst() {
    List<byte[]> list = MaskPatterns.of("plainvalue".getBytes(UTF_8), 8);
    assertEquals("plainvalue", latin1(list.get(0)));
    Set<String> distinct = new HashSet<>();
    for (byte[] p : list) {
      assertTrue(distinct.add(latin1(p)), "duplicate pattern");
    }
  }

  @Test
  void valueShorterThanMinimumHasNoPatterns() {
    assertEquals(List.of(), MaskPatterns.of("1234567".getBytes(UTF_8), 8));
    assertEquals(List.of(), MaskPatterns.of(new byte[0], 8));
  }

  @Test
  void dropsFormsShorterThanMinimum() {
    Random random = new Random(7);
    for (int n = 1; n < 40; n++) {
      byte[] value = new byte[n];
      random.nextBytes(value);
      for (byte[] p : MaskPatterns.of(value, Math.min(n, 12))) {
        assertTrue(p.length >= Math.min(n, 12));
      }
    }
  }

  @Test
  void includesLinesOfMultiLineValueButNotShortLines() {
    Set<String> p = patterns("line-one-long\r\nshort\nline-three-long\n");
    assertTrue(p.contains("line-one-long"));
    assertTrue(p.contains("line-three-long"));
    assertFalse(p.contains("short"));
    assertFalse(p.contains("line-one-long\r"));
  }

  @Test
  void base64FormsEqualJdkEncodings() {
    Random random = new Random(11);
    for (int i = 0; i < 200; i++) {
      byte[] value = new byte[8 + random.nextInt(100)];
      random.nextBytes(value);
      Set<String> p = patterns(value, 8);
      for (Base64.Encoder encoder : List.of(Base64.getEncoder(), Base64.getEncoder().withoutPadding(),
          Base64.getUrlEncoder(), Base64.getUrlEncoder().withoutPadding())) {
        assertTrue(p.contains(encoder.encodeToString(value)), "seed 11, case " + i);
      }
    }
  }

  @Test
  void base64CoreOccursInEveryLargerEncodingContainingTheValue() {
    long seed = 20240611L;
    Random random = new Random(seed);
    for (int i = 0; i < 300; i++) {
      byte[] value = new byte[8 + random.nextInt(60)];
      random.nextBytes(value);
      byte[] before = new byte[random.nextInt(7)];
      byte[] after = new byte[random.nextInt(7)];
      random.nextBytes(before);
      random.nextBytes(after);
      byte[] plain = new byte[before.length + value.length + after.length];
      System.arraycopy(before, 0, plain, 0, before.length);
      System.arraycopy(value, 0, plain, before.length, value.length);
      System.arraycopy(after, 0, plain, before.length + value.length, after.length);
      Set<String> p = patterns(value, 8);
      String std = Base64.getEncoder().encodeToString(plain);
      String url = Base64.getUrlEncoder().encodeToString(plain);
      assertTrue(p.stream().anyMatch(f -> f.length() >= 8 && std.contains(f) && f.matches("[A-Za-z0-9+/]+")),
          "seed " + seed + ", case " + i);
      assertTrue(p.stream().anyMatch(f -> f.length() >= 8 && url.contains(f) && f.matches("[A-Za-z0-9_-]+")),
          "seed " + seed + ", case " + i);
      String core = latin1(MaskPatterns.base64Core(value, before.length % 3, Base64.getEncoder().withoutPadding()));
      assertTrue(std.contains(core), "seed " + seed + ", case " + i);
      // The core is as long as the value's bits allow: at most one partial character at each end.
      assertTrue(core.length() >= (8 * value.length) / 6 - 2, "seed " + seed + ", case " + i);
    }
  }

  @Test
  void includesEachLineOfBase64WrappedAt76Columns() {
    byte[] value = new byte[200];
    new Random(3).nextBytes(value);
    String wrapped = Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(value);
    Set<String> p = patterns(value, 8);
    for (String line : wrapped.split("\n")) {
      assertTrue(p.contains(line));
    }
  }

  @Test
  void percentFormWithPlusEqualsUrlEncoderOutput() {
    long seed = 99;
    Random random = new Random(seed);
    // URLEncoder leaves '*' unencoded and encodes '~', unlike RFC 3986: leave both out here.
    String alphabet = "abcXYZ019 -._!\"#$%&'()+,/:;<=>?@[\\]^`{|}\u00e9\u20ac\n";
    for (int i = 0; i < 200; i++) {
      StringBuilder s = new StringBuilder();
      for (int n = 8 + random.nextInt(30); n > 0; n--) {
        s.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String value = s.toString();
      byte[] plus = MaskPatterns.percentEncode(value.getBytes(UTF_8), "0123456789ABCDEF".getBytes(ISO_8859_1), true);
      assertEquals(URLEncoder.encode(value, UTF_8), latin1(plus), "seed " + seed + ", case " + i);
      Set<String> p = patterns(value);
      String upper = URLEncoder.encode(value, UTF_8).replace("+", "%20");
      assertTrue(p.contains(upper) || upper.equals(value), "seed " + seed + ", case " + i);
      String lower = HEX_ESCAPE.matcher(upper).replaceAll(m -> m.group().toLowerCase(Locale.ROOT));
      assertTrue(p.contains(lower) || lower.equals(value), "seed " + seed + ", case " + i);
    }
  }

  @Test
  void percentFormsKeepUnreservedCharacters() {
    Set<String> p = patterns("A-z.0_9~ /x");
    assertTrue(p.contains("A-z.0_9~%20%2Fx"));
    assertTrue(p.contains("A-z.0_9~%20%2fx"));
    assertTrue(p.contains("A-z.0_9~+%2Fx"));
  }

  @Test
  void jsonFormEqualsJacksonOutput() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    long seed = 5;
    Random random = new Random(seed);
    String alphabet = "ab\"\\/\n\r\t\b\f\u0000\u0001\u001f\u007f \u00e9\u20ac";
    for (int i = 0; i < 200; i++) {
      StringBuilder s = new StringBuilder("x");
      for (int n = 8 + random.nextInt(30); n > 0; n--) {
        s.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String value = s.toString();
      String json = mapper.writeValueAsString(value);
      String inner = json.substring(1, json.length() - 1);
      Set<String> p = patterns(value);
      String innerBytes = latin1(inner.getBytes(UTF_8));
      assertTrue(p.contains(innerBytes), "seed " + seed + ", case " + i);
      assertTrue(p.contains(innerBytes.replace("/", "\\/")), "seed " + seed + ", case " + i);
    }
  }

  @Test
  void jsonFormsIncludeAsciiOnlyEscapingOfNonAsciiText() {
    Set<String> p = patterns("p\u00e4ssw\u00f6rd-\u00fc-\ud83d\udd11\"\n\u007f");
    assertTrue(p.contains("p\\u00e4ssw\\u00f6rd-\\u00fc-\\ud83d\\udd11\\\"\\n\\u007f"), "Python json.dumps form");
    assertTrue(p.contains("p\\u00E4ssw\\u00F6rd-\\u00FC-\\uD83D\\uDD11\\\"\\n\\u007F"), "Jackson ESCAPE_NON_ASCII form");
    // Not valid UTF-8: no encoder produces u-escapes for it, and none are listed.
    byte[] invalid = {'a', 'b', 'c', 'd', (byte) 0xff, 'e', 'f', 'g', 'h'};
    assertTrue(patterns(invalid, 8).stream().noneMatch(f -> f.contains("\\u")));
  }

  @Test
  void asciiOnlyJsonFormEqualsJacksonWithEscapeNonAscii() throws Exception {
    ObjectMapper mapper = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    String value = "gr\u00fc\u00dfe-\u20ac-\ud83d\ude00-\"q\"\t\u0001";
    String json = mapper.writeValueAsString(value);
    assertTrue(patterns(value).contains(json.substring(1, json.length() - 1)), json);
  }

  @Test
  void jsonFormUsesShortEscapesAndHexForOtherControlCharacters() {
    Set<String> p = patterns("a\"b\\c\nd\re\tf\u0001g/h");
    assertTrue(p.contains("a\\\"b\\\\c\\nd\\re\\tf\\u0001g/h"));
    assertTrue(p.contains("a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\/h"));
    Set<String> q = patterns("abcdefgh\u001f");
    assertTrue(q.contains("abcdefgh\\u001F"));
    assertTrue(q.contains("abcdefgh\\u001f"));
  }
}
