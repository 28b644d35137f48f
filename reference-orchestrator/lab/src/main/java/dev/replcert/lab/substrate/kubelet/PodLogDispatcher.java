package dev.replcert.lab.substrate.kubelet;

import dev.replcert.mockapi.DelegatingDispatcher;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers {@code GET /api/v1/namespaces/{ns}/pods/{name}/log} from the lab's kubelet, which the
 * CRUD mock cannot serve, and hands every other request to the CRUD dispatcher. Constructed before
 * the kubelet (the kubelet needs the API server's client), so the kubelet is {@link #attach}ed
 * later; until then, and for a pod it does not run, the log of an existing pod is empty and a
 * missing pod gets the CRUD dispatcher's 404.
 *
 * <pre>
 * PodLogDispatcher dispatcher = new PodLogDispatcher(new KubernetesCrudDispatcher());
 * KubernetesMockServer server =
 *     new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
 * ...
 * dispatcher.attach(kubelet::podLog);
 * </pre>
 */
public final class PodLogDispatcher extends DelegatingDispatcher {

  /** Where pod logs come from: the text of a pod's log, empty if the pod is not known. */
  @FunctionalInterface
  public interface PodLogs {
    Optional<String> log(String namespace, String name);
  }

  private static final Pattern LOG_PATH =
      Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/]+)/log(?:\\?(.*))?$");

  private volatile PodLogs logs = (namespace, name) -> Optional.empty();

  public PodLogDispatcher(Dispatcher delegate) {
    super(delegate);
  }

  /** Serves logs from {@code source} from now on. */
  public void attach(PodLogs source) {
    this.logs = source;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    Matcher m = LOG_PATH.matcher(request.getPath());
    if (!"GET".equalsIgnoreCase(request.getMethod()) || !m.matches()) {
      return delegate.dispatch(request);
    }
    String namespace = m.group(1);
    String name = m.group(2);
    Optional<String> log = logs.log(namespace, name);
    if (log.isEmpty()) {
      // a pod the kubelet does not run: the API server's answer for the pod itself decides
      MockResponse pod =
          delegate.dispatch(get(request, "/api/v1/namespaces/" + namespace + "/pods/" + name));
      return pod.code() == 200 ? text("") : pod;
    }
    return text(tail(log.get(), parameter(m.group(3), "tailLines")));
  }

  private static RecordedRequest get(RecordedRequest original, String path) {
    return new RecordedRequest(
        "GET " + path + " HTTP/1.1",
        io.fabric8.mockwebserver.dsl.HttpMethod.GET,
        path,
        original.getHeaders(),
        null);
  }

  private static MockResponse text(String body) {
    return new MockResponse()
        .setResponseCode(200)
        .setHeader("Content-Type", "text/plain")
        .setBody(body);
  }

  /** The last {@code tailLines} lines, as the kubelet's log endpoint cuts them. */
  static String tail(String log, String tailLines) {
    if (tailLines == null) {
      return log;
    }
    int n;
    try {
      n = Integer.parseInt(tailLines);
    } catch (NumberFormatException e) {
      return log;
    }
    List<String> lines = Arrays.asList(log.split("\n", -1));
    boolean trailingNewline = log.endsWith("\n");
    int count = trailingNewline ? lines.size() - 1 : lines.size();
    int from = Math.max(0, count - n);
    String joined = String.join("\n", lines.subList(from, count));
    return trailingNewline && !joined.isEmpty() ? joined + "\n" : joined;
  }

  private static String parameter(String query, String name) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
