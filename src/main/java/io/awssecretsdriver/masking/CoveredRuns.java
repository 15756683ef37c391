package io.awssecretsdriver.masking;

import java.util.Arrays;

/**
 * The covered byte ranges (absolute stream positions, end exclusive) that a masking stream has
 * found but not yet written out, oldest first.
 *
 * <p>Ranges are added in order of their end, since a match is found when its last byte is read,
 * but a later, longer match may start before earlier ones: adding therefore merges every trailing
 * range that the new one overlaps or touches. Stored ranges are disjoint with a gap between them,
 * so a held-back window of {@code n} bytes holds at most {@code n / 2 + 1} of them.
 */
final class CoveredRuns {

  private long[] starts;
  private long[] ends;
  private int head;
  private int tail;

  CoveredRuns(int initialCapacity) {
    starts = new long[Math.max(4, initialCapacity)];
    ends = new long[starts.length];
  }

  /** Adds {@code [start, end)}; {@code end} must be at least the end of every stored range. */
  void add(long start, long end) {
    while (tail > head && ends[tail - 1] >= start) {
      tail--;
      start = Math.min(start, starts[tail]);
    }
    if (tail == starts.length) {
      makeRoom();
    }
    starts[tail] = start;
    ends[tail] = end;
    tail++;
  }

  boolean isEmpty() {
    return head == tail;
  }

  long firstStart() {
    return starts[head];
  }

  long firstEnd() {
    return ends[head];
  }

  void removeFirst() {
    head++;
    if (head == tail) {
      head = 0;
      tail = 0;
    }
  }

  private void makeRoom() {
    int size = tail - head;
    if (size * 2 > starts.length) {
      starts = Arrays.copyOf(starts, starts.length * 2);
      ends = Arrays.copyOf(ends, ends.length * 2);
    }
    System.arraycopy(starts, head, starts, 0, size);
    System.arraycopy(ends, head, ends, 0, size);
    head = 0;
    tail = size;
  }
}
