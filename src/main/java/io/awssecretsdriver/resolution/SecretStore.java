package io.awssecretsdriver.resolution;

/**
 * Where secrets come from. The AWS implementation lives in the {@code aws} package; tests use fakes.
 * Implementations must be safe for concurrent calls.
 */
public interface SecretStore extends AutoCloseable {

  /** Fetches one name of the request (a candidate) with its version, region and identity. */
  FetchedSecret fetch(FetchRequest request, String secretId) throws FetchFailure;

  /**
   * Loads what the first fetch will need (classes, clients), so that it can run on another core
   * while the job payload is still being read. Optional.
   */
  default void warmUp() {}

  /** How many calls went to AWS, for the job log and benchmarks. */
  CallCounts calls();

  @Override
  void close();

  record CallCounts(int sts, int getSecretValue) {}
}
