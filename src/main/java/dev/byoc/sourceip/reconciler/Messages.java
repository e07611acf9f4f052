package dev.byoc.sourceip.reconciler;

import java.nio.charset.StandardCharsets;

/**
 * Keeps condition and Event messages within what Kubernetes stores (a condition message at most
 * 32768 characters, an Event message 1024 bytes), however long the input they quote: a huge
 * annotation value or Twilio error is abbreviated, never echoed whole.
 */
final class Messages {
  /** Condition messages: well below Kubernetes' 32768, and still readable in kubectl. */
  static final int MAX_CONDITION_BYTES = 4096;

  /** Event messages (events.k8s.io's limit for a note, kept for core Events too). */
  static final int MAX_EVENT_BYTES = 1024;

  /** Room for the "… (N more characters)" suffix. */
  private static final int SUFFIX_BYTES = 40;

  private Messages() {}

  /** The text if its UTF-8 form fits in {@code maxBytes}, else its start and what was cut. */
  static String abbreviate(String text, int maxBytes) {
    if (text == null || text.length() * 3 <= maxBytes || utf8Length(text) <= maxBytes) {
      return text;
    }
    int budget = maxBytes - SUFFIX_BYTES;
    int end = 0;
    int bytes = 0;
    while (end < text.length()) {
      int codePoint = text.codePointAt(end);
      int size = utf8Length(codePoint);
      if (bytes + size > budget) {
        break;
      }
      bytes += size;
      end += Character.charCount(codePoint);
    }
    return text.substring(0, end)
        + "… ("
        + text.codePointCount(end, text.length())
        + " more characters)";
  }

  static int utf8Length(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  private static int utf8Length(int codePoint) {
    return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
  }
}
