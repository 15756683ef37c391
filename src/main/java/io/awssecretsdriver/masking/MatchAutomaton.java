package io.awssecretsdriver.masking;

import java.util.Arrays;
import java.util.List;

/**
 * Byte-level Aho-Corasick automaton over a fixed set of patterns, immutable once compiled and
 * shared by every stream of a {@link Masker}.
 *
 * <p>States are trie nodes numbered in breadth-first order, so the children of a state are
 * consecutive state numbers sorted by byte, and shallow states come first. The shallowest states
 * (all of them when the table fits) get a dense, fully resolved transition table indexed by byte
 * equivalence class: almost all of a log's bytes are handled there with two array loads. The
 * table is capped in size, so deeper states of large pattern sets use the trie's sorted child
 * lists plus failure links instead; a scan only reaches them while the text really follows a
 * pattern for several bytes.
 *
 * <p>For every state the automaton knows the length of the longest pattern ending there
 * ({@link #matchLength}) and the length of the longest suffix that a pattern could still extend
 * ({@link #holdLength}): the masking stream must hold back exactly that many bytes.
 */
final class MatchAutomaton {

  /** 1 Mi table entries (4 MiB): roughly the first 4096 states for 256 byte classes. */
  static final int DEFAULT_MAX_DENSE_ENTRIES = 1 << 20;

  /** Largest number of children that is searched linearly rather than by bisection. */
  private static final int LINEAR_SEARCH_LIMIT = 8;

  /** Mutable scan position owned by one stream; keeps {@link #scan} free of allocation. */
  static final class Cursor {
    int state;
  }

  private final int patternCount;
  private final int maxPatternLength;
  private final int[] classOf;
  private final int classes;
  private final int denseStates;
  /**
   * Row {@code s} holds the transitions of dense state {@code s}. An entry is the target's row
   * offset ({@code target * classes}) when the target is dense and ends no pattern, so the hot
   * loop can chain loads; otherwise {@code ~target}, a negative number that sends the scan to
   * its slow path.
   */
  private final int[] delta;
  private final byte[] label;
  private final int[] childStart;
  private final int[] fail;
  private final int[] matchLength;
  private final int[] holdLength;

  /** Every array is complete when the constructor returns, so the final fields publish it safely to all threads. */
  private MatchAutomaton(List<byte[]> patterns, int maxDenseEntries) {
    if (maxDenseEntries < 256) {
      throw new IllegalArgumentException("maxDenseEntries must be at least 256, was " + maxDenseEntries);
    }
    byte[][] sorted = sortedDistinct(patterns);
    int stateCount = countTrieNodes(sorted);
    Trie trie = Trie.build(sorted, stateCount);
    int longest = 0;
    for (byte[] p : sorted) {
      longest = Math.max(longest, p.length);
    }
    this.patternCount = sorted.length;
    this.maxPatternLength = longest;
    this.classOf = new int[256];
    this.classes = assignByteClasses(trie.label, stateCount, classOf);
    this.denseStates = (long) stateCount * classes <= maxDenseEntries ? stateCount : maxDenseEntries / classes;
    this.delta = new int[denseStates * classes];
    this.label = trie.label;
    this.childStart = trie.childStart;
    this.fail = new int[stateCount];
    this.matchLength = trie.matchLength;
    this.holdLength = new int[stateCount];
    link(trie.depth);
  }

  /**
   * Compiles the automaton. Duplicate and empty patterns are ignored.
   *
   * @param maxDenseEntries cap on the dense table's entries (at least 256, so the root fits)
   */
  static MatchAutomaton compile(List<byte[]> patterns, int maxDenseEntries) {
    return new MatchAutomaton(patterns, maxDenseEntries);
  }

  private static byte[][] sortedDistinct(List<byte[]> patterns) {
    byte[][] sorted = patterns.stream().filter(p -> p.length > 0).toArray(byte[][]::new);
    Arrays.sort(sorted, Arrays::compareUnsigned);
    int distinct = 0;
    for (byte[] p : sorted) {
      if (distinct == 0 || !Arrays.equals(sorted[distinct - 1], p)) {
        sorted[distinct++] = p;
      }
    }
    return Arrays.copyOf(sorted, distinct);
  }

  /** One node per distinct prefix: in sorted order each pattern adds the part beyond its common prefix with its predecessor. */
  private static int countTrieNodes(byte[][] sorted) {
    long nodes = 1;
    for (int i = 0; i < sorted.length; i++) {
      int common = i == 0 ? 0 : Math.max(0, Arrays.mismatch(sorted[i - 1], sorted[i]));
      nodes += sorted[i].length - common;
    }
    if (nodes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("too many pattern bytes to mask: " + nodes);
    }
    return (int) nodes;
  }

  /** Bytes that occur in some pattern get a class each; all other bytes share class 0 and always lead back to the root. */
  private static int assignByteClasses(byte[] label, int stateCount, int[] classOf) {
    boolean[] used = new boolean[256];
    for (int s = 1; s < stateCount; s++) {
      used[label[s] & 0xFF] = true;
    }
    int unusedCount = 0;
    for (boolean u : used) {
      unusedCount += u ? 0 : 1;
    }
    int next = unusedCount > 0 ? 1 : 0;
    for (int b = 0; b < 256; b++) {
      classOf[b] = used[b] ? next++ : 0;
    }
    return next;
  }

  /** Failure links, match and hold lengths, dense rows: all in breadth-first order, each from shallower states. */
  private void link(int[] depth) {
    int stateCount = fail.length;
    for (int u = 0; u < stateCount; u++) {
      for (int v = childStart[u]; v < childStart[u + 1]; v++) {
        fail[v] = u == 0 ? 0 : step(fail[u], label[v] & 0xFF);
        if (matchLength[v] == 0) {
          matchLength[v] = matchLength[fail[v]];
        }
        holdLength[v] = childStart[v + 1] > childStart[v] ? depth[v] : holdLength[fail[v]];
      }
      if (u < denseStates) {
        fillDenseRow(u);
      }
    }
  }

  private void fillDenseRow(int u) {
    int row = u * classes;
    if (u == 0) {
      Arrays.fill(delta, 0, classes, encode(0));
    } else {
      System.arraycopy(delta, fail[u] * classes, delta, row, classes);
    }
    for (int v = childStart[u]; v < childStart[u + 1]; v++) {
      delta[row + classOf[label[v] & 0xFF]] = encode(v);
    }
  }

  private int encode(int target) {
    return target < denseStates && matchLength[target] == 0 ? target * classes : ~target;
  }

  private int decode(int entry) {
    return entry < 0 ? ~entry : entry / classes;
  }

  /** The state after reading {@code b} (0..255) in state {@code s}. */
  int step(int s, int b) {
    while (s >= denseStates) {
      int child = child(s, (byte) b);
      if (child >= 0) {
        return child;
      }
      s = fail[s];
    }
    return decode(delta[s * classes + classOf[b]]);
  }

  private int child(int s, byte b) {
    int lo = childStart[s];
    int hi = childStart[s + 1];
    if (hi - lo <= LINEAR_SEARCH_LIMIT) {
      for (int c = lo; c < hi; c++) {
        if (label[c] == b) {
          return c;
        }
      }
      return -1;
    }
    int key = b & 0xFF;
    hi--;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int l = label[mid] & 0xFF;
      if (l < key) {
        lo = mid + 1;
      } else if (l > key) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  /**
   * Feeds {@code buf[from, to)} starting in {@code cursor.state} and stops right after the first
   * byte at which some pattern ends, or at {@code to}. Returns the index after the last byte
   * read; {@code cursor.state} is then the state after it.
   */
  int scan(byte[] buf, int from, int to, Cursor cursor) {
    final int[] table = delta;
    final int[] byteClass = classOf;
    final int stride = classes;
    int s = cursor.state;
    int i = from;
    while (i < to) {
      if (s < denseStates) {
        int row = s * stride;
        int entry = 0;
        while (i < to) {
          entry = table[row + byteClass[buf[i++] & 0xFF]];
          if (entry < 0) {
            break;
          }
          row = entry;
        }
        if (entry >= 0) {
          s = row / stride; // ran to the end in plain dense states: no match pending
          break;
        }
        s = ~entry;
      } else {
        s = step(s, buf[i++] & 0xFF);
      }
      if (matchLength[s] != 0) {
        break;
      }
    }
    cursor.state = s;
    return i;
  }

  /** Length of the longest pattern that ends at this state, 0 if none does. */
  int matchLength(int state) {
    return matchLength[state];
  }

  /** Length of the longest suffix read so far that some pattern could still extend. */
  int holdLength(int state) {
    return holdLength[state];
  }

  int maxPatternLength() {
    return maxPatternLength;
  }

  int patternCount() {
    return patternCount;
  }

  int stateCount() {
    return fail.length;
  }

  int denseStateCount() {
    return denseStates;
  }

  /** The trie of the sorted patterns, built breadth-first straight from pattern ranges. */
  private static final class Trie {
    final byte[] label;
    final int[] childStart;
    final int[] depth;
    /** Pattern length for states that end a pattern, else 0 (completed later from failure links). */
    final int[] matchLength;

    private Trie(int stateCount) {
      label = new byte[stateCount];
      childStart = new int[stateCount + 1];
      depth = new int[stateCount];
      matchLength = new int[stateCount];
    }

    /**
     * Each state stands for the range of sorted patterns sharing its prefix; its children are
     * the runs of that range with equal next byte. Appending children while walking states in
     * order numbers them breadth-first without any queue beyond the range arrays.
     */
    static Trie build(byte[][] sorted, int stateCount) {
      Trie trie = new Trie(stateCount);
      int[] rangeLo = new int[stateCount];
      int[] rangeHi = new int[stateCount];
      rangeHi[0] = sorted.length;
      int next = 1;
      for (int s = 0; s < stateCount; s++) {
        int d = trie.depth[s];
        int k = rangeLo[s];
        int hi = rangeHi[s];
        if (k < hi && sorted[k].length == d) {
          trie.matchLength[s] = d; // sorts first in its range; distinct, so at most one
          k++;
        }
        trie.childStart[s] = next;
        while (k < hi) {
          byte b = sorted[k][d];
          int j = k + 1;
          while (j < hi && sorted[j][d] == b) {
            j++;
          }
          trie.label[next] = b;
          trie.depth[next] = d + 1;
          rangeLo[next] = k;
          rangeHi[next] = j;
          next++;
          k = j;
        }
      }
      trie.childStart[stateCount] = next;
      return trie;
    }
  }
}
