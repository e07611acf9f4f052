package dev.byoc.sourceip.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Maps a request path to its template (e.g. "/v1/IpRecords/{Sid}") and the template's methods. */
final class Router {
  /** The counter template of a path that matches no route. */
  static final String UNMATCHED = "(unmatched)";

  private static final Pattern VARIABLE = Pattern.compile("\\{[A-Za-z]+}");

  record Route(String template, Pattern pattern, Map<String, Operation> operations) {}

  record Match(Route route, List<String> vars) {}

  private final List<Route> routes = new ArrayList<>();

  /** Adds a template; each {Name} matches one path segment. */
  Router add(String template, Map<String, Operation> operations) {
    StringBuilder regex = new StringBuilder("^");
    Matcher m = VARIABLE.matcher(template);
    int last = 0;
    while (m.find()) {
      regex.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+?)");
      last = m.end();
    }
    regex.append(Pattern.quote(template.substring(last))).append('$');
    routes.add(
        new Route(template, Pattern.compile(regex.toString()), new LinkedHashMap<>(operations)));
    return this;
  }

  /** The matching route and its variables, or null. */
  Match match(String path) {
    for (Route route : routes) {
      Matcher m = route.pattern().matcher(path);
      if (m.matches()) {
        List<String> vars = new ArrayList<>();
        for (int i = 1; i <= m.groupCount(); i++) {
          vars.add(m.group(i));
        }
        return new Match(route, List.copyOf(vars));
      }
    }
    return null;
  }
}
