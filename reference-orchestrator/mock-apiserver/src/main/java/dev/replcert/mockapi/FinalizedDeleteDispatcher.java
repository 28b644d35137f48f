package dev.replcert.mockapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Answers a write that removes the last finalizer of a resource being deleted as kube-apiserver
 * does: 200 with the object (its deletion timestamp set, no finalizers), not fabric8's 202 with an
 * empty body.
 *
 * <p>fabric8's CRUD mock (7.8) deletes the resource then and answers 202 with no body, so the
 * client's patch returns null. JOSDK removes its finalizer with such a patch and caches the answer
 * (5.3: {@code TemporaryResourceCache.putResource}); null fails there with a NullPointerException,
 * the cleanup counts as failed and is retried, and a retry timer scheduled while the operator
 * stops throws "Task already scheduled or cancelled". The object as it was before the write, less
 * its finalizers, is what the real API server answers.
 */
public final class FinalizedDeleteDispatcher extends DelegatingDispatcher {

  private static final ObjectMapper JSON = new ObjectMapper();


  /** @param delegate answers every request */
  public FinalizedDeleteDispatcher(Dispatcher delegate) {
    super(delegate);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    if (!mayRemoveFinalizers(request)) {
      return delegate.dispatch(request);
    }
    MockResponse before = delegate.dispatch(getOf(request));
    MockResponse response = delegate.dispatch(request);
    if (response.code() != 202 || !isEmpty(response.getBody()) || before.code() != 200) {
      return response;
    }
    try {
      JsonNode object = JSON.readTree(before.getBody().getBytes());
      if (object.path("metadata") instanceof ObjectNode metadata) {
        metadata.remove("finalizers");
      }
      return new MockResponse().setResponseCode(200).setBody(JSON.writeValueAsString(object));
    } catch (IOException e) {
      return response; // not an object: leave fabric8's answer alone
    }
  }

  /** A PATCH or PUT of one object whose body mentions finalizers. */
  private static boolean mayRemoveFinalizers(RecordedRequest request) {
    HttpMethod method = request.method();
    if (method != HttpMethod.PATCH && method != HttpMethod.PUT) {
      return false;
    }
    Buffer body = request.getBody();
    return body != null && new String(body.getBytes(), StandardCharsets.UTF_8).contains("finalizers");
  }

  /** A GET of the object the write is for (its main resource, not the status subresource). */
  private static RecordedRequest getOf(RecordedRequest request) {
    String path = request.getPath();
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    if (path.endsWith("/status")) {
      path = path.substring(0, path.length() - "/status".length());
    }
    return new RecordedRequest("HTTP/1.1", HttpMethod.GET, path, Headers.builder().build(), new Buffer());
  }

  private static boolean isEmpty(Buffer body) {
    return body == null || body.size() == 0;
  }
}
