package io.awssecretsdriver.job;

import java.util.Optional;

/**
 * What GitLab itself says about the job ({@code job_info} and {@code git_info} of the payload). A
 * job's author can override CI variables, even predefined ones, but not these fields, so access
 * decisions rest on them alone.
 */
public record TrustedJobInfo(
    long jobId,
    String projectId,
    String projectPath,
    String namespaceId,
    String rootNamespaceId,
    String ref,
    String refType,
    boolean protectedRef,
    Optional<String> environment,
    Optional<String> pipelineSource) {

  /** The namespace path: the project path without its last segment. */
  public String namespace() {
    int slash = projectPath.lastIndexOf('/');
    return slash < 0 ? "" : projectPath.substring(0, slash);
  }
}
