package io.awssecretsdriver.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awssecretsdriver.definition.Origin;
import io.awssecretsdriver.definition.SecretDefinition;
import io.awssecretsdriver.failure.FailureKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ResolverTest {

  /** A hand-written store: named secrets, optional blocking, call counting. */
  static final class FakeStore implements SecretStore {
    final Map<String, String> secrets = new ConcurrentHashMap<>();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    CountDownLatch gate = new CountDownLatch(0);

    @Override
    public FetchedSecret fetch(FetchRequest request, String secretId) throws FetchFailure {
      calls.incrementAndGet();
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        if (!gate.await(5, TimeUnit.SECONDS)) {
          throw new FetchFailure(FailureKind.SYSTEM, "gate", false);
        }
        String v = secrets.get(secretId);
        if (v == null) {
          throw new FetchFailure(FailureKind.BUILD, "not found: " + secretId, true);
        }
        return new FetchedSecret("arn:" + secretId, "v1", new SecretValue.Text(v));
      } catch (InterruptedException e) {
        throw new FetchFailure(FailureKind.SYSTEM, "interrupted", false);
      } finally {
        inFlight.decrementAndGet();
      }
    }

    @Override
    public CallCounts calls() {
      return new CallCounts(0, calls.get());
    }

    @Override
    public void close() {}
  }

  private static PlannedSecret planned(String variable, String secretId, String field, String... candidates) {
    SecretDefinition d = new SecretDefinition(variable, secretId, Optional.ofNullable(field), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.of("us-east-1"), Optional.empty(), "s", Optional.empty(), false, Origin.SECRETS_KEYWORD);
    List<String> names = candidates.length == 0 ? List.of(secretId) : List.of(candidates);
    return new PlannedSecret(d, new FetchRequest(names, Optional.empty(), Optional.empty(), "us-east-1", Optional.empty()));
  }

  @Test
  void fetchesEachDistinctSecretOnceForSeveralFields() {
    FakeStore store = new FakeStore();
    store.secrets.put("app/db", "{\"user\":\"u\",\"password\":\"p\"}");
    List<SecretOutcome> out = new Resolver(store, 8, Duration.ofSeconds(5))
        .resolve(List.of(planned("USER", "app/db", "user"), planned("PASSWORD", "app/db", "password"), planned("ALL", "app/db", null)));
    assertEquals(1, store.calls.get());
    assertEquals("u", ((SecretOutcome.Resolved) out.get(0)).value().variableText());
    assertEquals("p", ((SecretOutcome.Resolved) out.get(1)).value().variableText());
  }

  @Test
  void fetchesConcurrentlyWithinTheBound() {
    FakeStore store = new FakeStore();
    store.gate = new CountDownLatch(1);
    List<PlannedSecret> many = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      store.secrets.put("s/" + i, "v" + i);
      many.add(planned("V" + i, "s/" + i, null));
    }
    Thread opener = new Thread(() -> {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      while (store.inFlight.get() < 6 && System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      store.gate.countDown();
    });
    opener.start();
    List<SecretOutcome> out = new Resolver(store, 6, Duration.ofSeconds(10)).resolve(many);
    assertEquals(6, store.maxInFlight.get(), "all 6 workers busy at once, never more");
    assertTrue(out.stream().allMatch(SecretOutcome.Resolved.class::isInstance));
  }

  @Test
  void deadlineEndsAHangingFetchAsASystemFailure() {
    FakeStore store = new FakeStore();
    store.gate = new CountDownLatch(1);
    long start = System.nanoTime();
    List<SecretOutcome> out = new Resolver(store, 4, Duration.ofMillis(300)).resolve(List.of(planned("X", "slow", null)));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    SecretOutcome.Failed f = assertInstanceOf(SecretOutcome.Failed.class, out.get(0));
    assertEquals(FailureKind.SYSTEM, f.kind());
    assertTrue(f.reason().contains("resolution deadline"), f.reason());
    assertTrue(ms < 3000, "ended in " + ms + " ms");
    store.gate.countDown();
  }

  @Test
  void lookupCandidatesAreTriedInOrderUntilOneExists() {
    FakeStore store = new FakeStore();
    store.secrets.put("/gitlab/acme/db", "team");
    List<SecretOutcome> out = new Resolver(store, 2, Duration.ofSeconds(5))
        .resolve(List.of(planned("DB", "db", null, "/gitlab/acme/payments/db", "/gitlab/acme/db", "db")));
    assertEquals("team", ((SecretOutcome.Resolved) out.get(0)).value().variableText());
    assertEquals(2, store.calls.get());
  }

  @Test
  void noCandidateFoundListsEveryName() {
    List<SecretOutcome> out = new Resolver(new FakeStore(), 2, Duration.ofSeconds(5))
        .resolve(List.of(planned("DB", "db", null, "/a/db", "/b/db")));
    SecretOutcome.Failed f = assertInstanceOf(SecretOutcome.Failed.class, out.get(0));
    assertEquals(FailureKind.BUILD, f.kind());
    assertTrue(f.reason().startsWith("no secret exists under any of the lookup names /a/db, /b/db in us-east-1"), f.reason());
  }
}
