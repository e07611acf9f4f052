package dev.byoc.sourceip.sandbox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A resource request's path split the way the API server routes it: {@code
 * /api/v1[/namespaces/NS]/PLURAL[/NAME[/SUB]]} or {@code /apis/GROUP/VERSION[...]}, and its query.
 */
record ApiPath(
    String group,
    String version,
    String namespace,
    String plural,
    String name,
    String subresource,
    Map<String, String> query) {

  /** The path parsed, or null when it names no resource (discovery, OpenAPI, a bad path). */
  static ApiPath parse(String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    Map<String, String> query = query(q < 0 ? "" : pathAndQuery.substring(q + 1));
    List<String> s = Arrays.stream(path.split("/")).filter(p -> !p.isEmpty()).toList();
    String group;
    String version;
    int i;
    if (s.size() >= 3 && s.get(0).equals("api")) {
      group = "";
      version = s.get(1);
      i = 2;
    } else if (s.size() >= 4 && s.get(0).equals("apis")) {
      group = s.get(1);
      version = s.get(2);
      i = 3;
    } else {
      return null;
    }
    List<String> rest = s.subList(i, s.size());
    String namespace = null;
    if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    if (rest.isEmpty() || rest.size() > 3) {
      return null;
    }
    return new ApiPath(
        group,
        version,
        namespace,
        rest.get(0),
        rest.size() > 1 ? rest.get(1) : null,
        rest.size() > 2 ? rest.get(2) : null,
        query);
  }

  static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      query.put(key, eq < 0 ? "" : decode(pair.substring(eq + 1)));
    }
    return query;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  boolean isWatch() {
    String watch = query.get("watch");
    return "true".equals(watch) || "1".equals(watch);
  }

  /** This path without the named query parameters (to hand to the CRUD mock). */
  static String without(String pathAndQuery, String... names) {
    int q = pathAndQuery.indexOf('?');
    if (q < 0) {
      return pathAndQuery;
    }
    List<String> drop = List.of(names);
    String kept =
        Arrays.stream(pathAndQuery.substring(q + 1).split("&"))
            .filter(p -> !p.isEmpty())
            .filter(
                p -> !drop.contains(decode(p.contains("=") ? p.substring(0, p.indexOf('=')) : p)))
            .collect(Collectors.joining("&"));
    return pathAndQuery.substring(0, q) + (kept.isEmpty() ? "" : "?" + kept);
  }
}
