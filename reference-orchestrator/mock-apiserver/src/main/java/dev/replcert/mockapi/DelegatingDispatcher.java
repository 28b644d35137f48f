package dev.replcert.mockapi;

import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.CustomResourceAware;
import io.fabric8.mockwebserver.http.Dispatcher;

/**
 * A dispatcher that changes some answers of another and passes the rest of the dispatcher's life
 * on to it: custom resource registration (the CRUD dispatcher needs it to serve CRDs), shutdown
 * and resource release. The lab stacks several of them on fabric8's CRUD dispatcher.
 */
public abstract class DelegatingDispatcher extends Dispatcher implements CustomResourceAware {

  /** Answers every request this dispatcher does not answer itself. */
  protected final Dispatcher delegate;

  protected DelegatingDispatcher(Dispatcher delegate) {
    this.delegate = delegate;
  }

  @Override
  public void expectCustomResource(CustomResourceDefinitionContext context) {
    if (delegate instanceof CustomResourceAware aware) {
      aware.expectCustomResource(context);
    }
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  @Override
  public void releaseResources() {
    delegate.releaseResources();
  }
}
