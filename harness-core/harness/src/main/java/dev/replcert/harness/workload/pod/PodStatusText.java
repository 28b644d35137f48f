package dev.replcert.harness.workload.pod;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** A workload pod's status in one line, for diagnostics; and where its result lives. */
final class PodStatusText {

  private static final int EVENTS = 5;

  private PodStatusText() {}

  static String describe(Pod pod) {
    if (pod == null) {
      return "pod not found";
    }
    PodStatus status = pod.getStatus();
    if (status == null) {
      return "no status yet (not scheduled?)";
    }
    List<String> parts = new ArrayList<>();
    parts.add("phase " + status.getPhase());
    if (status.getReason() != null || status.getMessage() != null) {
      parts.add("reason " + status.getReason() + ": " + status.getMessage());
    }
    if (status.getConditions() != null && !status.getConditions().isEmpty()) {
      parts.add(
          "conditions ["
              + status.getConditions().stream()
                  .map(PodStatusText::condition)
                  .collect(Collectors.joining(", "))
              + "]");
    }
    container(pod)
        .ifPresent(c -> parts.add("container " + c.getName() + " " + state(c.getState())));
    return String.join("; ", parts);
  }

  /** The pod's status plus its latest events (best effort: events may be unavailable). */
  static String describe(KubernetesClient client, String namespace, String name, Pod pod) {
    String text = describe(pod);
    try {
      List<Event> events =
          client.v1().events().inNamespace(namespace).list().getItems().stream()
              .filter(
                  e ->
                      e.getInvolvedObject() != null && name.equals(e.getInvolvedObject().getName()))
              .sorted(Comparator.comparing(PodStatusText::eventTime))
              .toList();
      if (!events.isEmpty()) {
        text +=
            "; events: "
                + events.subList(Math.max(0, events.size() - EVENTS), events.size()).stream()
                    .map(e -> e.getType() + " " + e.getReason() + ": " + e.getMessage())
                    .collect(Collectors.joining(" | "));
      }
    } catch (RuntimeException e) {
      text += "; events unavailable (" + e.getMessage() + ")";
    }
    return text;
  }

  static Optional<ContainerStatus> container(Pod pod) {
    if (pod == null || pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getContainerStatuses().stream()
        .filter(c -> WorkloadPods.CONTAINER.equals(c.getName()))
        .findFirst();
  }

  static boolean running(Pod pod) {
    return container(pod)
        .map(c -> c.getState() != null && c.getState().getRunning() != null)
        .orElse(false);
  }

  static boolean terminated(Pod pod) {
    return container(pod)
        .map(c -> c.getState() != null && c.getState().getTerminated() != null)
        .orElse(false);
  }

  /** The container's termination message, if it terminated. */
  static Optional<String> terminationMessage(Pod pod) {
    return container(pod)
        .filter(c -> c.getState() != null && c.getState().getTerminated() != null)
        .map(c -> c.getState().getTerminated().getMessage());
  }

  /** A container that cannot start (bad image, bad config): waiting longer does not help. */
  static Optional<String> stuck(Pod pod) {
    return container(pod)
        .map(ContainerStatus::getState)
        .map(ContainerState::getWaiting)
        .filter(
            w ->
                List.of(
                        "ErrImagePull",
                        "ImagePullBackOff",
                        "InvalidImageName",
                        "CreateContainerConfigError",
                        "CreateContainerError")
                    .contains(w.getReason()))
        .map(w -> w.getReason() + ": " + w.getMessage());
  }

  private static String condition(PodCondition c) {
    String text = c.getType() + "=" + c.getStatus();
    if (c.getReason() != null || c.getMessage() != null) {
      text += " (" + c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage()) + ")";
    }
    return text;
  }

  private static String state(ContainerState state) {
    if (state == null) {
      return "without state";
    }
    if (state.getRunning() != null) {
      return "running since " + state.getRunning().getStartedAt();
    }
    if (state.getTerminated() != null) {
      var t = state.getTerminated();
      return "terminated (exit "
          + t.getExitCode()
          + ", "
          + t.getReason()
          + ", message "
          + abbreviate(t.getMessage())
          + ")";
    }
    if (state.getWaiting() != null) {
      return "waiting ("
          + state.getWaiting().getReason()
          + ": "
          + state.getWaiting().getMessage()
          + ")";
    }
    return "in no state";
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "none";
    }
    return text.length() > 500 ? text.substring(0, 500) + "..." : text;
  }

  private static String eventTime(Event e) {
    String t =
        e.getLastTimestamp() != null
            ? e.getLastTimestamp()
            : e.getEventTime() == null ? null : e.getEventTime().getTime();
    return t == null ? "" : t;
  }
}
