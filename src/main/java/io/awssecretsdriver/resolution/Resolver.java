package io.awssecretsdriver.resolution;

import io.awssecretsdriver.failure.FailureKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Fetches a job's secrets: each distinct request once, all of them concurrently (bounded), within
 * one deadline, so a job's critical path is one STS round trip plus one GetSecretValue round trip
 * whatever the number of secrets.
 */
public final class Resolver {
  private final SecretStore store;
  private final int concurrency;
  private final Duration deadline;

  public Resolver(SecretStore store, int concurrency, Duration deadline) {
    this.store = store;
    this.concurrency = concurrency;
    this.deadline = deadline;
  }

  public List<SecretOutcome> resolve(List<PlannedSecret> planned) {
    Map<FetchRequest, Future<Fetch>> fetches = new LinkedHashMap<>();
    for (PlannedSecret p : planned) {
      fetches.putIfAbsent(p.request(), null);
    }
    if (fetches.isEmpty()) {
      return List.of();
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, fetches.size()), r -> {
      Thread t = new Thread(r, "fetch");
      t.setDaemon(true); // a fetch stuck past the deadline must not keep the stage alive
      return t;
    });
    try {
      for (FetchRequest request : List.copyOf(fetches.keySet())) {
        fetches.put(request, pool.submit(() -> fetch(request)));
      }
      pool.shutdown();
      long deadlineNanos = System.nanoTime() + deadline.toNanos();
      List<SecretOutcome> outcomes = new ArrayList<>();
      for (PlannedSecret p : planned) {
        outcomes.add(outcome(p, await(fetches.get(p.request()), deadlineNanos)));
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  private Fetch await(Future<Fetch> future, long deadlineNanos) {
    try {
      return future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      future.cancel(true);
      return Fetch.failed(new FetchFailure(FailureKind.SYSTEM, "AWS did not answer within the resolution deadline of "
          + deadline.toSeconds() + " s: check the network path from the runner manager to AWS, or raise resolution.deadline.", false));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Fetch.failed(new FetchFailure(FailureKind.SYSTEM, "the driver was interrupted while fetching.", false));
    } catch (ExecutionException | CancellationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return Fetch.failed(new FetchFailure(FailureKind.SYSTEM, "the fetch failed unexpectedly (" + cause.getClass().getSimpleName() + ").", false));
    }
  }

  /** Tries the candidate names in order; a name that does not exist moves on to the next. */
  private Fetch fetch(FetchRequest request) {
    FetchFailure last = null;
    List<String> missing = new ArrayList<>();
    for (String candidate : request.candidates()) {
      try {
        return new Fetch(Optional.of(store.fetch(request, candidate)), null);
      } catch (FetchFailure f) {
        if (!f.notFound()) {
          return Fetch.failed(f);
        }
        missing.add(candidate);
        last = f;
      }
    }
    if (missing.size() > 1) {
      return Fetch.failed(new FetchFailure(FailureKind.BUILD, "no secret exists under any of the lookup names "
          + String.join(", ", missing) + " in " + request.region() + ": create one of them, or give a full name with a leading '/' or an ARN.", true));
    }
    return Fetch.failed(last);
  }

  private static SecretOutcome outcome(PlannedSecret p, Fetch fetch) {
    if (fetch.failure() != null) {
      return new SecretOutcome.Failed(p.definition(), fetch.failure().kind(), fetch.failure().getMessage());
    }
    FetchedSecret fetched = fetch.secret().orElseThrow();
    if (p.definition().field().isEmpty()) {
      return new SecretOutcome.Resolved(p.definition(), p.request(), fetched, fetched.value());
    }
    FieldExtractor.Result field = FieldExtractor.extract(fetched.value(), p.definition().field().get(), p.definition().secretId());
    return field.text()
        .<SecretOutcome>map(t -> new SecretOutcome.Resolved(p.definition(), p.request(), fetched, new SecretValue.Text(t)))
        .orElseGet(() -> new SecretOutcome.Failed(p.definition(), FailureKind.BUILD, field.problem()));
  }

  private record Fetch(Optional<FetchedSecret> secret, FetchFailure failure) {
    static Fetch failed(FetchFailure f) {
      return new Fetch(Optional.empty(), f);
    }
  }
}
