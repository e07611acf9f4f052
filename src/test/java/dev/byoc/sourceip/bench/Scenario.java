package dev.byoc.sourceip.bench;

/** One scenario of the benchmark: its steps at one N, its JSON under the run, its table rows. */
interface Scenario {
  /** Its name in --scenarios. */
  String name();

  /** Runs it on the N that the bench holds, writing into {@code b.run} and {@code b.rows}. */
  void run(Bench b) throws Exception;
}
