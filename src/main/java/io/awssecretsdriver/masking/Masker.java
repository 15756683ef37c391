package io.awssecretsdriver.masking;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Masks secret values in job output. Compiled once from the values, it is immutable and
 * thread-safe; each {@link #wrap(OutputStream) wrapped stream} has its own state, so stdout and
 * stderr are wrapped separately.
 *
 * <p>Besides each value itself, the masker hides the forms in which a job commonly prints a
 * secret: its lines, its base64 encodings (standard and URL-safe, padded or not, wrapped at 76
 * characters, and inside a larger base64 text), its percent-encodings and its JSON-escaped form.
 * Values shorter than the minimum length cannot be masked; {@link #tooShort()} lists them so the
 * caller can warn about them.
 *
 * <p>Neither this class nor its streams ever put a value into a message or {@code toString()}.
 */
public final class Masker {

  /** GitLab refuses to mask variables shorter than 8 characters, and so does this masker by default. */
  public static final int DEFAULT_MIN_LENGTH = 8;

  /** What each masked run of bytes is replaced by: {@code [MASKED]}, as GitLab prints it. */
  public static final byte[] REPLACEMENT = "[MASKED]".getBytes(StandardCharsets.US_ASCII);

  /** Private copy of {@link #REPLACEMENT}: a public array can be modified, this one cannot. */
  static final byte[] TOKEN = REPLACEMENT.clone();

  private final MatchAutomaton automaton;
  private final List<Integer> tooShort;
  private final int valueCount;

  private Masker(MatchAutomaton automaton, List<Integer> tooShort, int valueCount) {
    this.automaton = automaton;
    this.tooShort = tooShort;
    this.valueCount = valueCount;
  }

  /** Same as {@link #of(List, int)} with {@link #DEFAULT_MIN_LENGTH}. */
  public static Masker of(List<byte[]> secretValues) {
    return of(secretValues, DEFAULT_MIN_LENGTH);
  }

  /**
   * Compiles a masker. The values are not retained.
   *
   * @param secretValues the values to mask, arbitrary bytes; none may be {@code null}
   * @param minLength values (and derived forms) shorter than this are not masked; at least 1
   */
  public static Masker of(List<byte[]> secretValues, int minLength) {
    return of(secretValues, minLength, MatchAutomaton.DEFAULT_MAX_DENSE_ENTRIES);
  }

  /** Compiles with a given cap on the dense transition table, so tests can force the sparse representation. */
  static Masker of(List<byte[]> secretValues, int minLength, int maxDenseEntries) {
    Objects.requireNonNull(secretValues, "secretValues");
    if (minLength < 1) {
      throw new IllegalArgumentException("minLength must be at least 1, was " + minLength);
    }
    List<byte[]> patterns = new ArrayList<>();
    List<Integer> tooShort = new ArrayList<>();
    for (int i = 0; i < secretValues.size(); i++) {
      byte[] value = secretValues.get(i);
      if (value == null) {
        throw new NullPointerException("secret value at index " + i + " is null");
      }
      if (value.length < minLength) {
        tooShort.add(i);
      } else {
        patterns.addAll(MaskPatterns.of(value, minLength));
      }
    }
    return new Masker(MatchAutomaton.compile(patterns, maxDenseEntries), List.copyOf(tooShort), secretValues.size());
  }

  /**
   * A new masking stream writing to {@code out}, with its own state. It holds back a possible
   * partial secret at the end of what was written until more input decides it or the stream is
   * closed; {@code close()} also closes {@code out}.
   */
  public OutputStream wrap(OutputStream out) {
    return new MaskingOutputStream(out, automaton);
  }

  /** Indices, in the list given to {@code of}, of the values too short to be masked (empty ones included). */
  public List<Integer> tooShort() {
    return tooShort;
  }

  /** Number of distinct byte patterns searched for; for diagnostics. */
  int patternCount() {
    return automaton.patternCount();
  }

  MatchAutomaton automaton() {
    return automaton;
  }

  @Override
  public String toString() {
    return "Masker[values=" + valueCount + ", patterns=" + automaton.patternCount()
        + ", tooShort=" + tooShort.size() + "]";
  }
}
