package dev.byoc.sourceip.reconciler;

import java.util.ArrayList;
import java.util.List;

/**
 * What an actuator did at Twilio to reach {@code result}, step by step, so that the reconciler can
 * report each write (and each adoption) as an Event without knowing how it came about.
 */
record Applied<T>(T result, List<Step<T>> steps) {

  enum Action {
    /** Twilio created it on the operator's request. */
    CREATED,
    /** Found at Twilio after a create that failed or whose outcome was unknown, and adopted. */
    FOUND,
    /** Changed in place; {@link Step#before} is how it was. */
    UPDATED
  }

  record Step<T>(Action action, T object, T before) {}

  Applied {
    steps = List.copyOf(steps);
  }

  static <T> Applied<T> of(Action action, T object) {
    return new Applied<>(object, List.of(new Step<>(action, object, null)));
  }

  /** These steps, then {@code next}'s, ending where {@code next} ends. */
  Applied<T> then(Applied<T> next) {
    List<Step<T>> all = new ArrayList<>(steps);
    all.addAll(next.steps);
    return new Applied<>(next.result, all);
  }
}
