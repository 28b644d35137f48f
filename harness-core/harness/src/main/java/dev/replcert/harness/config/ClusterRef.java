package dev.replcert.harness.config;

import java.nio.file.Path;

/**
 * One cluster: a kubeconfig file and a context in it (null = the file's current-context). A
 * relative path in cert.yaml is resolved against the directory of cert.yaml.
 */
public record ClusterRef(Path kubeconfig, String context) {}
