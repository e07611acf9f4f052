package dev.byoc.sourceip.bench;

import static dev.byoc.sourceip.bench.Benchmark.ACCOUNT;
import static dev.byoc.sourceip.bench.Benchmark.NS;

import dev.byoc.sourceip.bench.Bench.Change;
import dev.byoc.sourceip.bench.Bench.Writes;
import java.util.function.BooleanSupplier;

/** All N mappings deleted at once: one Twilio delete each, then the finalizers removed. */
final class DeleteScenario extends MassChange {
  @Override
  public String name() {
    return "delete";
  }

  @Override
  String title() {
    return "Mass delete";
  }

  @Override
  String progress() {
    return "mass delete ...";
  }

  @Override
  double floor(Bench b) {
    return b.floorDelete;
  }

  @Override
  Writes writes() {
    return new Writes("", "DELETE", "/v1/SourceIpMappings/{Sid}");
  }

  @Override
  Change change(Bench b) {
    return () -> b.deleteAll(b.bench, NS);
  }

  @Override
  BooleanSupplier done(Bench b) {
    return () -> b.view.size() == 0 && b.emulator.mappingCount(ACCOUNT) == 0;
  }
}
