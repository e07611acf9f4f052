package dev.byoc.sourceip;

import dev.byoc.sourceip.config.OperatorConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this replica may act: always without leader election; with it, only while it holds the
 * Lease. Starts the leader-only work (the Twilio resync) once, when the lease is taken; JOSDK
 * itself starts reconciling then, and exits the process when the lease is lost, so a replica that
 * lost it never writes again.
 */
final class Leadership {
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  private final OperatorConfig.LeaderElection election;
  private final Runnable onLeading;
  private final AtomicBoolean leader = new AtomicBoolean();
  private final AtomicBoolean started = new AtomicBoolean();

  Leadership(OperatorConfig.LeaderElection election, Runnable onLeading) {
    this.election = election;
    this.onLeading = onLeading;
  }

  /** JOSDK's configuration, or null when there is no election. */
  LeaderElectionConfiguration configuration() {
    if (!election.enabled()) {
      return null;
    }
    LeaderElectionConfigurationBuilder builder =
        LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(election.leaseName())
            .withIdentity(identity())
            .withLeaderCallbacks(
                new LeaderCallbacks(
                    this::lead,
                    () -> {
                      leader.set(false);
                      LOG.warn("Lost the lease {}: stopping all work", election.leaseName());
                    },
                    holder -> LOG.info("Lease {} is held by {}", election.leaseName(), holder)));
    if (election.leaseNamespace() != null) {
      builder.withLeaseNamespace(election.leaseNamespace());
    }
    return builder.build();
  }

  /** The pod's name (its host name) and a random part, as client-go's leader election does. */
  private static String identity() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "sourceip-operator";
    }
    return host + "_" + java.util.UUID.randomUUID().toString().substring(0, 8);
  }

  /** Without leader election this replica leads from the start. */
  void startIfAlone() {
    if (!election.enabled()) {
      lead();
    }
  }

  boolean isLeader() {
    return leader.get();
  }

  private void lead() {
    leader.set(true);
    if (started.compareAndSet(false, true)) {
      if (election.enabled()) {
        LOG.info("Took the lease {}: reconciling", election.leaseName());
      }
      onLeading.run();
    }
  }
}
