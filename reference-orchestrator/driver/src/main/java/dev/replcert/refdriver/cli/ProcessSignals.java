package dev.replcert.refdriver.cli;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;

/**
 * SIGTERM and SIGINT as a {@link ShutdownSignal}: the handler only releases {@code serve}, which
 * then closes the site and returns, so the process exits 0 after a clean shutdown (a plain shutdown
 * hook would exit 143). {@code sun.misc.Signal} is reached reflectively so the build stays free of
 * internal-API warnings; where it is missing, {@code serve} relies on its shutdown hook alone.
 */
final class ProcessSignals implements ShutdownSignal {

  private final CountDownLatch stop = new CountDownLatch(1);

  @Override
  public void arm() {
    install("TERM");
    install("INT");
  }

  @Override
  public void await() throws InterruptedException {
    stop.await();
  }

  private void install(String name) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Object handler =
          Proxy.newProxyInstance(
              handlerType.getClassLoader(),
              new Class<?>[] {handlerType},
              (proxy, method, args) -> {
                switch (method.getName()) {
                  case "handle" -> stop.countDown();
                  case "hashCode" -> {
                    return System.identityHashCode(proxy);
                  }
                  case "equals" -> {
                    return proxy == args[0];
                  }
                  case "toString" -> {
                    return "replcert-refdriver " + name + " handler";
                  }
                  default -> {
                    // no other methods on SignalHandler
                  }
                }
                return null;
              });
      Method handle = signal.getMethod("handle", signal, handlerType);
      handle.invoke(null, signal.getConstructor(String.class).newInstance(name), handler);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError unavailable) {
      // no signal API: the default handling terminates the JVM and the shutdown hook closes the site
    }
  }
}
