package dev.byoc.sourceip.emulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableMap;
import java.util.function.Function;

/**
 * One page cut out of records kept in SID order, with whether records exist before and after it (so
 * a page is never followed by an empty one).
 */
record Slice<T>(
    List<T> items,
    int start,
    boolean hasPrevious,
    boolean hasNext,
    String firstSid,
    String lastSid) {

  /** Cuts the page that the request asks for; call it under the lock that guards {@code all}. */
  static <T> Slice<T> of(
      NavigableMap<String, T> all, PageRequest request, Function<T, String> sid) {
    int size = request.pageSize();
    List<T> items = new ArrayList<>(Math.min(size, all.size()));
    int start;
    if (request.before()) {
      NavigableMap<String, T> head = all.headMap(request.tokenSid(), false);
      Iterator<T> it = head.descendingMap().values().iterator();
      while (it.hasNext() && items.size() < size) {
        items.add(it.next());
      }
      Collections.reverse(items);
      start = head.size() - items.size();
    } else if (request.after()) {
      NavigableMap<String, T> tail = all.tailMap(request.tokenSid(), false);
      Iterator<T> it = tail.values().iterator();
      while (it.hasNext() && items.size() < size) {
        items.add(it.next());
      }
      start = all.size() - tail.size();
    } else {
      long offset = (long) request.page() * size;
      start = (int) Math.min(offset, all.size());
      Iterator<T> it = all.values().iterator();
      for (int skipped = 0; skipped < start && it.hasNext(); skipped++) {
        it.next();
      }
      while (it.hasNext() && items.size() < size) {
        items.add(it.next());
      }
    }
    if (items.isEmpty()) {
      boolean previous = request.token() == null && start > 0;
      return new Slice<>(List.of(), start, previous, false, null, null);
    }
    String first = sid.apply(items.get(0));
    String last = sid.apply(items.get(items.size() - 1));
    return new Slice<>(
        List.copyOf(items),
        start,
        all.lowerKey(first) != null,
        all.higherKey(last) != null,
        first,
        last);
  }
}
