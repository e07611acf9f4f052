package dev.byoc.sourceip.bench;

import static dev.byoc.sourceip.bench.Benchmark.ACCOUNT;
import static dev.byoc.sourceip.bench.Benchmark.NS;

import dev.byoc.sourceip.bench.Bench.Change;
import dev.byoc.sourceip.bench.Bench.Writes;
import java.util.function.BooleanSupplier;

/** All N mappings moved to another SIP domain at once: one Twilio update each. */
final class UpdateScenario extends MassChange {
  @Override
  public String name() {
    return "update";
  }

  @Override
  String title() {
    return "Mass update (new domain on all)";
  }

  @Override
  String progress() {
    return "mass update ...";
  }

  @Override
  double floor(Bench b) {
    return b.floorUpdate;
  }

  @Override
  Writes writes() {
    return new Writes("", "POST", "/v1/SourceIpMappings/{Sid}");
  }

  @Override
  Change change(Bench b) {
    return () -> b.patchAll(b.bench, NS, b.domainB);
  }

  @Override
  BooleanSupplier done(Bench b) {
    return () ->
        b.allReady(s -> b.domainB.equals(s.sipDomainSid()))
            && b.emulator.sourceIpMappings(ACCOUNT).stream()
                .allMatch(m -> m.sipDomainSid().equals(b.domainB));
  }
}
