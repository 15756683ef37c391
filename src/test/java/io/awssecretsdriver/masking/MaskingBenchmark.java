package io.awssecretsdriver.masking;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Masking throughput on a log-like stream; run by {@code scripts/bench-masking}.
 *
 * <p>Arguments (all optional): number of values (100), MiB to stream per run (100), seed (42),
 * {@code binary} for values of random bytes instead of random printable characters.
 * The stream repeats a 4 MiB log-like text with secrets sprinkled in (raw, base64, JSON-escaped),
 * so the benchmark itself stays small on the heap; it is written in 64 KiB chunks to a null
 * stream after a warm-up, and five runs are measured.
 */
public final class MaskingBenchmark {

  private static final int CHUNK = 64 * 1024;
  private static final int POOL_BYTES = 4 << 20;
  private static final int WARMUP_RUNS = 3;
  private static final int MEASURED_RUNS = 5;
  private static final long MIB = 1 << 20;

  private static final String SECRET_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&*+-./:;=?@^_~";
  private static final String[] WORDS = {
    "Downloading", "Compiling", "Running", "artifact", "package", "dependency", "resolved", "cache",
    "build", "test", "deploy", "image", "layer", "checksum", "warning", "module", "target", "source",
    "fetching", "uploaded", "registry", "docker", "npm", "maven", "gradle", "pip", "installed", "from",
    "to", "the", "with", "in", "of", "done", "ok", "step", "job", "runner", "stage", "script",
  };

  private MaskingBenchmark() {
  }

  public static void main(String[] args) throws IOException {
    int valueCount = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int mib = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 42L;
    boolean binary = args.length > 3 && args[3].equals("binary");
    Random random = new Random(seed);

    List<byte[]> values = new ArrayList<>(valueCount);
    for (int i = 0; i < valueCount; i++) {
      byte[] v = new byte[16 + random.nextInt(49)];
      for (int j = 0; j < v.length; j++) {
        v[j] = binary ? (byte) random.nextInt(256) : (byte) SECRET_CHARS.charAt(random.nextInt(SECRET_CHARS.length()));
      }
      values.add(v);
    }
    byte[] pool = logText(random, values, POOL_BYTES);

    long heapBefore = usedHeapAfterGc();
    long compileStart = System.nanoTime();
    Masker masker = Masker.of(values);
    double compileMs = (System.nanoTime() - compileStart) / 1e6;
    long maskerBytes = usedHeapAfterGc() - heapBefore;
    MatchAutomaton automaton = masker.automaton();
    System.out.printf(Locale.ROOT, "masker: %d values, %d patterns, %d states (%d dense), compiled in %.0f ms, retains %.1f MiB%n",
        valueCount, automaton.patternCount(), automaton.stateCount(), automaton.denseStateCount(),
        compileMs, maskerBytes / (double) MIB);
    verify(masker, values, pool);

    long total = mib * MIB;
    for (int i = 0; i < WARMUP_RUNS; i++) {
      run(masker, pool, total);
    }
    double[] rates = new double[MEASURED_RUNS];
    for (int i = 0; i < MEASURED_RUNS; i++) {
      long nanos = run(masker, pool, total);
      rates[i] = total / 1e6 / (nanos / 1e9);
      System.out.printf(Locale.ROOT, "run %d: %d MiB in %.3f s, %.0f MB/s%n", i + 1, mib, nanos / 1e9, rates[i]);
    }
    long heapUsed = usedHeapAfterGc();
    long peak = peakHeap();
    // Keep both alive up to here, or the collector may free them before the measurement.
    Reference.reachabilityFence(masker);
    Reference.reachabilityFence(pool);
    double[] sorted = rates.clone();
    Arrays.sort(sorted);
    System.out.printf(Locale.ROOT, "masking: %d values, %d MiB, median %.0f MB/s, min %.0f MB/s, heap used %d MiB (peak %d MiB, incl. the %d MiB test text)%n",
        valueCount, mib, sorted[MEASURED_RUNS / 2], sorted[0], ceilMib(heapUsed), ceilMib(peak), POOL_BYTES / MIB);
  }

  /** Streams {@code total} bytes of the pool through a fresh masking stream; returns the elapsed nanoseconds. */
  private static long run(Masker masker, byte[] pool, long total) throws IOException {
    long start = System.nanoTime();
    try (OutputStream out = masker.wrap(OutputStream.nullOutputStream())) {
      long written = 0;
      int pos = 0;
      while (written < total) {
        int n = (int) Math.min(Math.min(CHUNK, pool.length - pos), total - written);
        out.write(pool, pos, n);
        written += n;
        pos = pos + n == pool.length ? 0 : pos + n;
      }
    }
    return System.nanoTime() - start;
  }

  /** Sanity check outside the timing: the first MiB of the text comes out with secrets masked and none left. */
  private static void verify(Masker masker, List<byte[]> values, byte[] pool) throws IOException {
    byte[] slice = Arrays.copyOf(pool, (int) MIB);
    ByteArrayOutputStream sink = new ByteArrayOutputStream(slice.length);
    try (OutputStream out = masker.wrap(sink)) {
      out.write(slice);
    }
    byte[] masked = sink.toByteArray();
    int replacements = 0;
    for (int at = ReferenceMasking.indexOf(masked, Masker.REPLACEMENT, 0); at >= 0;
        at = ReferenceMasking.indexOf(masked, Masker.REPLACEMENT, at + 1)) {
      replacements++;
    }
    for (byte[] v : values) {
      if (ReferenceMasking.indexOf(masked, v, 0) >= 0) {
        throw new IllegalStateException("a secret survived masking");
      }
    }
    if (replacements == 0) {
      throw new IllegalStateException("no secret was masked");
    }
    System.out.printf(Locale.ROOT, "verified: first MiB has %d replacements, no value left%n", replacements);
  }

  /** Build-log-like lines: timestamps, words, paths, hashes, progress lines; about one in 150 lines shows a secret. */
  static byte[] logText(Random random, List<byte[]> values, int size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(size + 512);
    StringBuilder line = new StringBuilder(200);
    int lineNo = 0;
    while (out.size() < size) {
      line.setLength(0);
      lineNo++;
      switch (random.nextInt(6)) {
        case 0 -> line.append(String.format(Locale.ROOT, "2024-06-11T12:%02d:%02d.%03dZ INFO  [worker-%d] ",
            lineNo / 60 % 60, lineNo % 60, random.nextInt(1000), random.nextInt(8)));
        case 1 -> line.append("$ ");
        case 2 -> line.append("Step ").append(random.nextInt(20)).append("/20 : RUN ");
        case 3 -> line.append(" ---> ").append(Long.toHexString(random.nextLong())).append(' ');
        default -> line.append("[INFO] ");
      }
      for (int w = 3 + random.nextInt(12); w > 0; w--) {
        switch (random.nextInt(12)) {
          case 0 -> line.append("/builds/group/project/src/main/java/Foo").append(random.nextInt(500)).append(".java");
          case 1 -> line.append("sha256:").append(Long.toHexString(random.nextLong())).append(Long.toHexString(random.nextLong()));
          case 2 -> line.append(random.nextInt(100_000)).append(" bytes");
          default -> line.append(WORDS[random.nextInt(WORDS.length)]);
        }
        line.append(' ');
      }
      out.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
      if (random.nextInt(150) == 0) {
        byte[] secret = values.get(random.nextInt(values.size()));
        switch (random.nextInt(3)) {
          case 0 -> out.writeBytes(secret);
          case 1 -> out.writeBytes(Base64.getEncoder().encode(secret));
          default -> out.writeBytes(MaskPatterns.jsonEscape(secret, "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII), false));
        }
      }
      out.write(random.nextInt(40) == 0 ? '\r' : '\n');
    }
    return Arrays.copyOf(out.toByteArray(), size);
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  /** Sum of the heap pools' peak usage: an upper bound of what the process ever held at once. */
  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  private static long ceilMib(long bytes) {
    return (bytes + MIB - 1) / MIB;
  }
}
