package io.awssecretsdriver.masking;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Writes what it is given to an underlying stream with every occurrence of a secret pattern
 * replaced: each maximal run of bytes covered by pattern occurrences becomes one
 * {@link Masker#REPLACEMENT}. Runs are maximal over the bytes, so overlapping occurrences and
 * occurrences that merely touch (one ends where the next begins) both yield a single replacement.
 *
 * <p>The output does not depend on how the input is split into {@code write} calls. To achieve
 * that, the stream holds back only the bytes that could still turn out to be covered: the longest
 * suffix of the input that some pattern could extend, which is shorter than the longest pattern.
 * Everything before it is written out during {@code write} itself, so {@link #flush()} only has to
 * flush the underlying stream, and a prompt without newline is delayed only if it ends in what
 * could be the start of a secret. {@link #close()} writes out the held-back bytes, masking
 * complete matches, and closes the underlying stream.
 *
 * <p>Not thread-safe: like the process pipe it usually copies, one thread writes to it. After the
 * underlying stream has failed, every further write fails too, so no byte is written out of order.
 * Obtain instances from {@link Masker#wrap(OutputStream)}.
 */
public final class MaskingOutputStream extends OutputStream {

  private final OutputStream out;
  private final MatchAutomaton automaton;
  private final MatchAutomaton.Cursor cursor = new MatchAutomaton.Cursor();
  private final CoveredRuns runs;
  private final byte[] single = new byte[1];

  /** Bytes read so far (absolute position of the next input byte). */
  private long consumed;
  /** Every byte before this position has been written out, as itself or inside a replacement. */
  private long released;
  /** Whether the byte just before {@link #released} was covered: a run touching it continues that replacement. */
  private boolean runOpen;

  /** The not yet released input before the current write: positions [consumed - heldLength, consumed). */
  private byte[] held;
  private int heldOffset;
  private int heldLength;

  /** The array of the write in progress and the index of its first byte, for releasing from it. */
  private byte[] chunk;
  private int chunkOffset;

  private boolean closed;
  private boolean failed;

  MaskingOutputStream(OutputStream out, MatchAutomaton automaton) {
    this.out = Objects.requireNonNull(out, "out");
    this.automaton = automaton;
    int longest = Math.max(1, automaton.maxPatternLength());
    // Twice the longest held-back window, so compaction moves bytes at most once per window.
    this.held = new byte[Math.max(64, 2 * longest)];
    this.runs = new CoveredRuns(longest / 2 + 2);
  }

  @Override
  public void write(int b) throws IOException {
    single[0] = (byte) b;
    write(single, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    ensureUsable();
    if (len == 0) {
      return;
    }
    chunk = b;
    chunkOffset = off;
    try {
      scanChunk(b, off, off + len);
    } catch (IOException | RuntimeException e) {
      failed = true;
      throw e;
    } finally {
      chunk = null; // do not keep a reference to the caller's buffer
    }
  }

  private void scanChunk(byte[] b, int off, int end) throws IOException {
    long chunkStart = consumed;
    int i = off;
    while (i < end) {
      i = automaton.scan(b, i, end, cursor);
      int length = automaton.matchLength(cursor.state);
      if (length != 0) {
        long matchEnd = chunkStart + (i - off);
        // The part before `released` was already written as covered (the open run).
        runs.add(Math.max(matchEnd - length, released), matchEnd);
        // Releasing at every match keeps the run list as short as the held-back window.
        release(matchEnd - automaton.holdLength(cursor.state), chunkStart);
      }
    }
    long chunkEnd = chunkStart + (end - off);
    release(chunkEnd - automaton.holdLength(cursor.state), chunkStart);
    holdRest(b, off, chunkStart, chunkEnd);
    consumed = chunkEnd;
  }

  /**
   * Writes out everything before {@code frontier}, which no future match can reach: covered runs
   * that start before it (whole, since their bytes are decided) and the uncovered bytes between.
   */
  private void release(long frontier, long chunkStart) throws IOException {
    while (!runs.isEmpty() && runs.firstStart() < frontier) {
      long start = runs.firstStart();
      if (start > released) {
        writeInput(released, start, chunkStart);
        runOpen = false;
      }
      if (!runOpen) {
        out.write(Masker.TOKEN);
        runOpen = true;
      }
      released = runs.firstEnd();
      runs.removeFirst();
    }
    if (frontier > released) {
      writeInput(released, frontier, chunkStart);
      released = frontier;
      runOpen = false;
    }
  }

  /** Writes input positions [from, to), taking them from the held bytes and then the current chunk. */
  private void writeInput(long from, long to, long chunkStart) throws IOException {
    if (from < chunkStart) {
      long heldStart = chunkStart - heldLength;
      int n = (int) (Math.min(to, chunkStart) - from);
      out.write(held, heldOffset + (int) (from - heldStart), n);
      from += n;
    }
    if (from < to) {
      out.write(chunk, chunkOffset + (int) (from - chunkStart), (int) (to - from));
    }
  }

  /** Keeps input positions [released, chunkEnd) for later writes. */
  private void holdRest(byte[] b, int off, long chunkStart, long chunkEnd) {
    long heldStart = chunkStart - heldLength;
    if (released > heldStart) {
      int drop = (int) Math.min(released - heldStart, heldLength);
      heldOffset += drop;
      heldLength -= drop;
    }
    long from = Math.max(released, chunkStart);
    int n = (int) (chunkEnd - from);
    if (n > 0) {
      if (heldOffset + heldLength + n > held.length) {
        if (heldLength + n > held.length) {
          held = Arrays.copyOf(held, Math.max(2 * held.length, heldLength + n));
        }
        System.arraycopy(held, heldOffset, held, 0, heldLength);
        heldOffset = 0;
      }
      System.arraycopy(b, off + (int) (from - chunkStart), held, heldOffset + heldLength, n);
      heldLength += n;
    }
    if (heldLength == 0) {
      heldOffset = 0;
    }
  }

  /** Flushes the underlying stream; the bytes held back are only those that may still be part of a secret. */
  @Override
  public void flush() throws IOException {
    if (!closed) {
      out.flush();
    }
  }

  /** Writes out the held-back bytes (masking complete matches) and closes the underlying stream. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (!failed) {
        // End of input: no pattern can be extended any more, everything is decided.
        release(consumed, consumed);
        heldLength = 0;
        heldOffset = 0;
      }
    } finally {
      out.close();
    }
  }

  private void ensureUsable() throws IOException {
    if (closed) {
      throw new IOException("masking stream is closed");
    }
    if (failed) {
      throw new IOException("masking stream is unusable after an earlier write failed");
    }
  }
}
