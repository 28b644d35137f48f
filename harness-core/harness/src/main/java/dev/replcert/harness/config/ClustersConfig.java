package dev.replcert.harness.config;

/**
 * {@code clusters:} the hub and the two managed clusters. The hub may be null when the orchestrator
 * is bundled: the harness then runs an embedded hub.
 */
public record ClustersConfig(ClusterRef hub, ClusterRef east, ClusterRef west) {}
