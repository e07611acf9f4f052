package dev.byoc.sourceip.bench;

import static dev.byoc.sourceip.bench.Benchmark.ACCOUNT;
import static dev.byoc.sourceip.bench.Benchmark.NS;

import dev.byoc.sourceip.bench.Bench.Writes;

/** All N mappings moved to another SIP domain at once: one Twilio update each. */
final class UpdateScenario extends MassChange {
  UpdateScenario() {
    super(
        "update",
        "Mass update (new domain on all)",
        "mass update ...",
        new Writes("", "POST", "/v1/SourceIpMappings/{Sid}"),
        b -> b.floorUpdate,
        b -> () -> b.patchAll(b.bench, NS, b.domainB),
        b ->
            () ->
                b.allReady(s -> b.domainB.equals(s.sipDomainSid()))
                    && b.emulator.sourceIpMappings(ACCOUNT).stream()
                        .allMatch(m -> m.sipDomainSid().equals(b.domainB)));
  }
}
