package dev.byoc.sourceip.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Every change the CRUD mock made (ADDED, MODIFIED, DELETED with the object and its resource
 * version), so that a client watching over plain HTTP (kubectl: {@code ?watch=true}, no WebSocket)
 * can be answered with the changes since the resource version it names. The mock itself streams
 * watches over WebSockets only.
 */
final class WatchLog {
  /** One change; {@code resourceVersion} orders them. */
  record Change(long resourceVersion, String type, JsonNode object) {
    String apiVersion() {
      return object.path("apiVersion").asText();
    }

    String kind() {
      return object.path("kind").asText();
    }

    String namespace() {
      JsonNode ns = object.path("metadata").path("namespace");
      return ns.isTextual() ? ns.asText() : null;
    }
  }

  private final int capacity;
  private final Deque<Change> changes = new ArrayDeque<>();
  private long forgottenUpTo = 0;

  WatchLog(int capacity) {
    this.capacity = capacity;
  }

  synchronized void add(Change change) {
    changes.addLast(change);
    while (changes.size() > capacity) {
      forgottenUpTo = changes.removeFirst().resourceVersion();
    }
  }

  /** True when changes after {@code resourceVersion} may have been dropped already. */
  synchronized boolean expired(long resourceVersion) {
    return resourceVersion < forgottenUpTo;
  }

  /** The changes that matched, and the newest resource version the log knew of then. */
  record Slice(List<Change> changes, long latest) {}

  /** The changes after {@code resourceVersion} to objects of {@code kind} that match. */
  synchronized Slice since(
      long resourceVersion,
      ApiKinds.Kind kind,
      String namespace,
      FieldSelector fields,
      String labelSelector) {
    List<Change> found = new ArrayList<>();
    for (Change c : changes) {
      if (c.resourceVersion() <= resourceVersion
          || !c.apiVersion().equals(kind.apiVersion())
          || !c.kind().equals(kind.kind())
          || namespace != null && !namespace.equals(c.namespace())
          || !fields.matches(c.object())
          || !labelsMatch(labelSelector, c.object().path("metadata").path("labels"))) {
        continue;
      }
      found.add(c);
    }
    long latest = changes.isEmpty() ? forgottenUpTo : changes.getLast().resourceVersion();
    return new Slice(found, Math.max(latest, resourceVersion));
  }

  /**
   * Equality-based label selectors: {@code a=b}, {@code a==b}, {@code a!=b}, {@code a}, {@code !a}.
   */
  static boolean labelsMatch(String selector, JsonNode labels) {
    if (selector == null || selector.isBlank()) {
      return true;
    }
    for (String term : selector.split(",")) {
      String t = term.trim();
      if (t.isEmpty()) {
        continue;
      }
      boolean ok;
      if (t.contains("!=")) {
        String[] s = t.split("!=", 2);
        ok = !s[1].trim().equals(labels.path(s[0].trim()).asText(null));
      } else if (t.contains("=")) {
        String[] s = t.split("==?", 2);
        ok = s[1].trim().equals(labels.path(s[0].trim()).asText(null));
      } else if (t.startsWith("!")) {
        ok = !labels.has(t.substring(1).trim());
      } else {
        ok = labels.has(t);
      }
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
