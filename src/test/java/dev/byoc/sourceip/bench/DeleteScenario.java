package dev.byoc.sourceip.bench;

import static dev.byoc.sourceip.bench.Benchmark.ACCOUNT;
import static dev.byoc.sourceip.bench.Benchmark.NS;

import dev.byoc.sourceip.bench.Bench.Writes;

/** All N mappings deleted at once: one Twilio delete each, then the finalizers removed. */
final class DeleteScenario extends MassChange {
  DeleteScenario() {
    super(
        "delete",
        "Mass delete",
        "mass delete ...",
        new Writes("", "DELETE", "/v1/SourceIpMappings/{Sid}"),
        b -> b.floorDelete,
        b -> () -> b.deleteAll(b.bench, NS),
        b -> () -> b.view.size() == 0 && b.emulator.mappingCount(ACCOUNT) == 0);
  }
}
