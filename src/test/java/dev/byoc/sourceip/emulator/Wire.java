package dev.byoc.sourceip.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Raw OkHttp access to an emulator for tests: one request in, status + headers + JSON out. */
final class Wire {
  static final ObjectMapper JSON = new ObjectMapper();
  static final MediaType JSON_TYPE = MediaType.get("application/json");

  /** What was sent, kept for spec validation. */
  record Sent(String method, String url, String authorization, Map<String, String> form) {}

  /** What came back. */
  record Answer(Sent sent, int status, Headers headers, String body) {
    JsonNode json() {
      try {
        return body.isEmpty() ? JSON.nullNode() : JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  /** No transparent retry: a dropped connection must surface as an IOException. */
  final OkHttpClient http =
      new OkHttpClient.Builder()
          .retryOnConnectionFailure(false)
          .callTimeout(Duration.ofSeconds(20))
          .build();

  final String base;
  final String user;
  final String password;

  Wire(String base, String user, String password) {
    this.base = base;
    this.user = user;
    this.password = password;
  }

  Wire as(String otherUser, String otherPassword) {
    return new Wire(base, otherUser, otherPassword);
  }

  Answer get(String pathAndQuery) throws IOException {
    return send("GET", pathAndQuery);
  }

  Answer delete(String path) throws IOException {
    return send("DELETE", path);
  }

  /** POST with form parameters given as name, value, name, value... */
  Answer post(String path, String... form) throws IOException {
    return send("POST", path, form);
  }

  Answer send(String method, String pathAndQuery, String... form) throws IOException {
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i + 1 < form.length; i += 2) {
      params.put(form[i], form[i + 1]);
    }
    String url = pathAndQuery.startsWith("http") ? pathAndQuery : base + pathAndQuery;
    String auth = user == null ? null : Credentials.basic(user, password);
    Request.Builder request = new Request.Builder().url(url);
    if (auth != null) {
      request.header("Authorization", auth);
    }
    RequestBody body = null;
    if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
      FormBody.Builder formBody = new FormBody.Builder();
      params.forEach(formBody::add);
      body = formBody.build();
    }
    request.method(method, body);
    try (Response response = http.newCall(request.build()).execute()) {
      return new Answer(
          new Sent(method, url, auth, params),
          response.code(),
          response.headers(),
          response.body() == null ? "" : response.body().string());
    }
  }

  /** A JSON request to the admin API (no auth). */
  Answer admin(String method, String path, String json) throws IOException {
    RequestBody body = json == null ? null : RequestBody.create(json, JSON_TYPE);
    if (body == null && (method.equals("POST") || method.equals("PUT") || method.equals("PATCH"))) {
      body = RequestBody.create(new byte[0], null);
    }
    Request request = new Request.Builder().url(base + path).method(method, body).build();
    try (Response response = http.newCall(request).execute()) {
      return new Answer(
          new Sent(method, base + path, null, Map.of()),
          response.code(),
          response.headers(),
          response.body() == null ? "" : response.body().string());
    }
  }

  void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
