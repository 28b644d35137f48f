package dev.replcert.harness.config;

/**
 * A Kubernetes Secret by name and namespace; the harness reads or references it, never copies it.
 */
public record SecretRef(String name, String namespace) {}
