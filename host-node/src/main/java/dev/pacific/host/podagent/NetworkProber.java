package dev.pacific.host.podagent;

import dev.pacific.api.Container;
import dev.pacific.api.IntOrString;
import dev.pacific.api.Probe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Kubernetes' probe handlers against real processes: {@code exec} runs beside the container and
 * passes on exit 0; {@code httpGet} passes on a status from 200 to 399 (redirects are not
 * followed, and a 3xx already passes); {@code tcpSocket} passes when a connection opens. The host
 * defaults to the pod's address, as the kubelet defaults it to the pod IP.
 */
public final class NetworkProber implements Prober {

  private final HttpClient http;
  private final Executor blocking;

  public NetworkProber(Executor blocking) {
    this.blocking = blocking;
    this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).executor(blocking).build();
  }

  @Override
  public CompletionStage<Result> probe(Probe probe, Target target) {
    Duration timeout = Duration.ofSeconds(probe.timeoutSeconds() == null ? 1 : probe.timeoutSeconds());
    try {
      if (probe.exec() != null) {
        return target.instance().exec(probe.exec().command(), timeout).thenApply(r -> new Result(r.succeeded(),
            r.succeeded() ? "" : "exec " + r.outcome() + " with exit code " + r.exitCode() + ": " + r.output().strip()));
      }
      if (probe.httpGet() != null) {
        return httpGet(probe.httpGet(), target, timeout);
      }
      if (probe.tcpSocket() != null) {
        return tcp(probe.tcpSocket(), target, timeout);
      }
      return CompletableFuture.completedFuture(new Result(false, "the probe has no handler"));
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(new Result(false, e.getMessage()));
    }
  }

  private CompletionStage<Result> httpGet(Probe.HTTPGetAction get, Target target, Duration timeout) {
    String scheme = get.scheme() == null ? "http" : get.scheme().toLowerCase(java.util.Locale.ROOT);
    String host = host(get.host(), target);
    String path = get.path() == null || get.path().isEmpty() ? "/" : get.path();
    URI uri = URI.create(scheme + "://" + host + ":" + port(get.port(), target.spec()) + (path.startsWith("/") ? path : "/" + path));
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
        .header("User-Agent", "pacific-probe/1.0");
    get.httpHeaders().forEach(h -> request.setHeader(h.name(), h.value()));
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
        .handle((response, failure) -> {
          if (failure != null) {
            return new Result(false, "Get \"" + uri + "\": " + failure.getClass().getSimpleName());
          }
          int status = response.statusCode();
          return status >= 200 && status < 400 ? Result.ok() : new Result(false, "HTTP probe failed with statuscode: " + status);
        });
  }

  private CompletionStage<Result> tcp(Probe.TCPSocketAction tcp, Target target, Duration timeout) {
    String host = host(tcp.host(), target);
    int port = port(tcp.port(), target.spec());
    return CompletableFuture.supplyAsync(() -> {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
        return Result.ok();
      } catch (IOException e) {
        return new Result(false, "dial tcp " + host + ":" + port + ": " + e.getMessage());
      }
    }, blocking);
  }

  private static String host(String given, Target target) {
    if (given != null && !given.isEmpty()) {
      return given;
    }
    return target.podIp() != null ? target.podIp() : "127.0.0.1";
  }

  /** A number, or the name of one of the container's ports, as Kubernetes resolves it. */
  static int port(IntOrString port, Container spec) {
    if (port == null) {
      throw new IllegalArgumentException("the probe names no port");
    }
    if (port.isInt()) {
      return port.intValue();
    }
    return spec.ports().stream().filter(p -> port.stringValue().equals(p.name())).findFirst()
        .map(Container.ContainerPort::containerPort)
        .orElseThrow(() -> new IllegalArgumentException("no container port named \"" + port.stringValue() + "\""));
  }
}
