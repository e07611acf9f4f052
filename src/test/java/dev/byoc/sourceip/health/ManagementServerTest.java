package dev.byoc.sourceip.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ManagementServerTest {
  private static final OkHttpClient HTTP = new OkHttpClient();
  private final AtomicReference<Check> live = new AtomicReference<>(Check.ok("running"));
  private final AtomicReference<Check> ready = new AtomicReference<>(Check.failing("starting"));
  private ManagementServer server;

  @BeforeEach
  void start() {
    server =
        ManagementServer.start(
            InetAddress.getLoopbackAddress(),
            0,
            new ManagementServer.Probes() {
              @Override
              public Check live() {
                return live.get();
              }

              @Override
              public Check ready() {
                Check check = ready.get();
                if (check == null) {
                  throw new IllegalStateException("no answer");
                }
                return check;
              }
            },
            () -> "# HELP up\nup 1.0\n");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void probesAnswer200WhenTheyPassAnd503WithTheReasonWhenNot() throws IOException {
    assertThat(get(ManagementPaths.HEALTHZ)).isEqualTo("200 ok: running\n");
    assertThat(get(ManagementPaths.READYZ)).isEqualTo("503 not ok: starting\n");

    ready.set(Check.ok("informers synced"));
    live.set(Check.failing("stopping"));

    assertThat(get(ManagementPaths.READYZ)).isEqualTo("200 ok: informers synced\n");
    assertThat(get(ManagementPaths.HEALTHZ)).isEqualTo("503 not ok: stopping\n");
  }

  @Test
  void aCheckThatThrowsIsAFailingProbeNotACrash() throws IOException {
    ready.set(null);
    assertThat(get(ManagementPaths.READYZ))
        .isEqualTo("503 not ok: check failed: java.lang.IllegalStateException: no answer\n");
    assertThat(get(ManagementPaths.HEALTHZ)).startsWith("200");
  }

  @Test
  void metricsAreServedInPrometheusTextFormat() throws IOException {
    try (Response r = call(new Request.Builder().url(server.url() + ManagementPaths.METRICS))) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(r.header("Content-Type")).startsWith("text/plain; version=0.0.4");
      assertThat(r.body().string()).isEqualTo("# HELP up\nup 1.0\n");
    }
  }

  @Test
  void otherPathsAre404AndOtherMethods405AndHeadHasNoBody() throws IOException {
    assertThat(get("/")).startsWith("404");
    assertThat(get("/healthz/extra")).startsWith("404");
    assertThat(get("/metricsx")).startsWith("404");
    try (Response r =
        call(
            new Request.Builder()
                .url(server.url() + ManagementPaths.HEALTHZ)
                .post(RequestBody.create(new byte[0])))) {
      assertThat(r.code()).isEqualTo(405);
      assertThat(r.header("Allow")).isEqualTo("GET, HEAD");
    }
    try (Response r =
        call(new Request.Builder().url(server.url() + ManagementPaths.READYZ).head())) {
      assertThat(r.code()).isEqualTo(503);
      assertThat(r.body().bytes()).isEmpty();
    }
  }

  @Test
  void aPortInUseIsRefusedWithTheAddressInTheMessage() {
    assertThatThrownBy(
            () ->
                ManagementServer.start(
                    InetAddress.getLoopbackAddress(),
                    server.port(),
                    new ManagementServer.Probes() {
                      @Override
                      public Check live() {
                        return Check.ok("");
                      }

                      @Override
                      public Check ready() {
                        return Check.ok("");
                      }
                    },
                    () -> ""))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("127.0.0.1:" + server.port());
  }

  private String get(String path) throws IOException {
    try (Response r = call(new Request.Builder().url(server.url() + path))) {
      return r.code() + " " + r.body().string();
    }
  }

  private static Response call(Request.Builder request) throws IOException {
    return HTTP.newCall(request.build()).execute();
  }
}
