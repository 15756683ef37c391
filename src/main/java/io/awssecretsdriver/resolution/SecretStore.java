package io.awssecretsdriver.resolution;

/**
 * Where secrets come from. The AWS implementation lives in the {@code aws} package; tests use fakes.
 * Implementations must be safe for concurrent calls.
 */
public interface SecretStore extends AutoCloseable {

  /** Fetches one name of the request (a candidate) with its version, region and identity. */
  FetchedSecret fetch(FetchRequest request, String secretId) throws FetchFailure;

  /** How many calls went to AWS, for the job log and benchmarks. */
  CallCounts calls();

  @Override
  void close();

  record CallCounts(int sts, int getSecretValue) {}
}
