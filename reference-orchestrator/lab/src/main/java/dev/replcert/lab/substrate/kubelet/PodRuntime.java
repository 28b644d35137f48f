package dev.replcert.lab.substrate.kubelet;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the kubelet holds for one pod it runs: the volumes it published (by pod volume name), the
 * in-JVM program of a workload pod and the container's output, which is the pod's log.
 */
final class PodRuntime {

  final String uid;
  final String nodeId;
  final Map<String, VolumeMounts.Mounted> mounted = new LinkedHashMap<>();
  final ByteArrayOutputStream log = new ByteArrayOutputStream();
  Thread program;

  /** Whether the pod was reported Running (app pods) or its program started (workload pods). */
  boolean started;

  PodRuntime(String uid, String nodeId) {
    this.uid = uid;
    this.nodeId = nodeId;
  }

  boolean programRunning() {
    return program != null && program.isAlive();
  }

  String log() {
    synchronized (log) {
      return log.toString(StandardCharsets.UTF_8);
    }
  }
}
