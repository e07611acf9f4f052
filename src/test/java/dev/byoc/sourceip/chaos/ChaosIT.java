package dev.byoc.sourceip.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.ProcessLogs;
import dev.byoc.sourceip.api.v1alpha1.DeletionPolicy;
import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.emulator.FaultSettings;
import dev.byoc.sourceip.emulator.ProcessedRequest;
import dev.byoc.sourceip.emulator.StoredIpRecord;
import dev.byoc.sourceip.emulator.StoredSourceIpMapping;
import dev.byoc.sourceip.emulator.TwilioEmulator;
import dev.byoc.sourceip.health.ManagementPaths;
import dev.byoc.sourceip.testing.EmulatorExtension;
import io.fabric8.kubernetes.api.model.Condition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator as it ships, under random traffic (mappings by SID, and IpRecords with mappings
 * naming them and their SIP domain by name) while everything around it misbehaves: Twilio answers
 * 20% of requests with 429/500/503 or a dropped connection and spikes its latency, the operator is
 * killed hard and restarted (also between a Twilio create and its answer), and the API server
 * answers 409 and drops watches. Once the faults stop, Twilio must hold exactly what the resources
 * ask for, no duplicate mapping or IP record may ever have existed, and every resource must be
 * Ready or gone. Replay a seed with {@code -Dit.test=ChaosIT -Dchaos.seeds=<seed>}.
 */
@Tag("chaos")
class ChaosIT {
  static final String NS = "chaos";
  static final String ACCOUNT = KnownSecrets.ACCOUNT_SID;
  static final String TOKEN = KnownSecrets.AUTH_TOKEN; // the secret scan reads every log of the run
  static final String MAPPINGS = "/v1/SourceIpMappings";
  static final String IP_RECORDS = "/v1/IpRecords";
  static final String IP_RECORD = "/v1/IpRecords/{Sid}";
  static final String LEASE_NS = "chaos-system";

  static Stream<Long> seeds() {
    String given = System.getProperty("chaos.seeds", "").trim();
    if (!given.isEmpty()) {
      return Stream.of(given.split(",")).map(String::trim).map(Long::parseLong);
    }
    Random random = new Random();
    return LongStream.generate(() -> random.nextLong() & Long.MAX_VALUE).limit(3).boxed();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void twilioEndsExactlyAsTheResourcesAskDespiteFaultsKillsAndConflicts(long seed)
      throws Exception {
    ChaosSize size = ChaosSize.fromProperties();
    System.out.printf(
        "chaos seed %d (%s); replay: mvn verify -Dit.test=ChaosIT -Dchaos.seeds=%d%n",
        seed, size, seed);
    Path logs = ProcessLogs.dir("chaos").resolve("seed-" + seed);
    Random schedule = new Random(seed * 31 + 7);
    try (TwilioEmulator emulator =
            EmulatorExtension.withKnownAccount()
                .allowDuplicateMappings(true) // so a duplicate the operator asks for would exist
                .start();
        ChaoticKubernetes kube = new ChaoticKubernetes(seed, NS);
        KillableOperator operator =
            new KillableOperator(
                logs,
                incarnation ->
                    Map.of(
                        "KUBECONFIG",
                        kubeconfig(kube, logs, incarnation),
                        "TWILIO_BASE_URL",
                        emulator.baseUrl(),
                        "TWILIO_ACCOUNT_SID",
                        ACCOUNT,
                        "TWILIO_AUTH_TOKEN",
                        TOKEN),
                List.of("--namespaces", NS, "--resync-interval", "5s"))) {
      Workload workload =
          new Workload(
              seed,
              kube.driver(),
              NS,
              seedIpRecords(emulator, size),
              seedDomains(emulator, "chaos-" + seed),
              size.resources());

      ScheduledExecutorService chaos = Executors.newScheduledThreadPool(2);
      AtomicInteger timedKills = new AtomicInteger();
      AtomicInteger armedKills = new AtomicInteger();
      AtomicInteger armsSet = new AtomicInteger();
      AtomicInteger armedKillsOnIpRecords = new AtomicInteger();
      AtomicInteger armed = new AtomicInteger(); // kills waiting for the next create
      IpRecordAnswers answers = new IpRecordAnswers();
      Runnable restartSoon =
          () -> chaos.schedule(operator::start, 200 + draw(schedule, 1000), TimeUnit.MILLISECONDS);
      emulator.onProcessed(
          request -> {
            answers.processed(request);
            if (armable(request) && armed.get() > 0) {
              synchronized (armed) {
                // an arm is spent only on a live incarnation: a create that a killed one sent
                // may still be carried out after its death
                if (armed.get() > 0 && operator.kill()) {
                  armed.decrementAndGet();
                  armedKills.incrementAndGet();
                  if (request.pathTemplate().equals(IP_RECORDS)) {
                    armedKillsOnIpRecords.incrementAndGet();
                  }
                  restartSoon.run();
                }
              }
            }
          });
      operator.start();
      emulator.faults().update(twentyPercentFaults(seed));
      kube.conflictProbability(0.1);
      long chaosMillis = size.chaos().toMillis();
      for (int i = 0; i < size.timedKills() + size.armedKills(); i++) {
        boolean arm = i < size.armedKills();
        long at = chaosMillis / 20 + draw(schedule, chaosMillis * 17 / 20);
        chaos.schedule(
            new Runnable() {
              @Override
              public void run() {
                if (!operator.up()) {
                  chaos.schedule(this, 500, TimeUnit.MILLISECONDS); // still restarting
                } else if (arm) {
                  armed.incrementAndGet();
                  armsSet.incrementAndGet();
                } else if (operator.kill()) {
                  timedKills.incrementAndGet();
                  restartSoon.run();
                }
              }
            },
            at,
            TimeUnit.MILLISECONDS);
      }
      chaos.scheduleWithFixedDelay(operator::restartIfExited, 500, 500, TimeUnit.MILLISECONDS);
      chaos.scheduleWithFixedDelay(
          kube::dropWatches, 1000, 1000 + draw(schedule, 1000), TimeUnit.MILLISECONDS);

      long started = System.nanoTime();
      long deadline = started + size.chaos().toNanos();
      long cap = started + size.chaos().toNanos() * 3;
      int planned = size.timedKills() + size.armedKills();
      // until the time is up, every resource was created and every kill happened (capped);
      // two operations per resource over the chaos window, at an even pace (not a wait)
      long pace = Math.max(20, chaosMillis / (size.resources() * 2L));
      while (!workload.allCreated()
          || System.nanoTime() < deadline
          || (timedKills.get() + armedKills.get() < planned && System.nanoTime() < cap)) {
        workload.step();
        Thread.sleep(pace);
      }

      armed.set(0);
      chaos.shutdownNow();
      assertThat(chaos.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
      emulator.onProcessed(answers); // refused answers count until the end
      Map<String, Long> faults = emulator.counters().faults();
      long twilioRequestsDuringChaos = emulator.counters().total();
      emulator.faults().update(FaultSettings.none());
      kube.conflictProbability(0);
      operator.start();
      long settleFrom = System.nanoTime();
      try {
        await()
            .atMost(size.settle())
            .pollInterval(Duration.ofSeconds(1))
            .untilAsserted(
                () -> {
                  operator.restartIfExited();
                  List<String> violations = violations(workload, emulator, kube);
                  assertThat(violations)
                      .as(
                          "%d violations, first ones:%n  %s",
                          violations.size(),
                          String.join(
                              "\n  ", violations.subList(0, Math.min(15, violations.size()))))
                      .isEmpty();
                });
      } catch (Throwable failure) {
        System.out.printf(
            "chaos seed %d FAILED: %s%noperator log %s:%n%s%n",
            seed, failure.getMessage(), operator.log(operator.incarnations()), operator.tail(80));
        dump(kube, emulator, logs);
        System.out.println(
            "Events, resources and Twilio's mappings and IP records written to " + logs);
        throw failure;
      }
      long settled = (System.nanoTime() - settleFrom) / 1_000_000;

      System.out.printf(
          "chaos seed %d settled: %s%n"
              + "  operator: %d hard kills (%d at random moments, %d between a Twilio create and"
              + " its answer, %d armed), %d incarnations, %d exits on its own%n"
              + "  Twilio: %d requests during the chaos, faults injected %s (%d in all);"
              + " %d requests in all%n"
              + "  Kubernetes: %d operator requests, %d conflicts injected (%d on IpRecords), %d"
              + " watches dropped, %d 410 Gone answered%n"
              + "  settled %d ms after the faults stopped; %d mappings at Twilio; %d duplicates ever%n"
              + "  IP records: %s%n",
          seed,
          workload.summary(),
          timedKills.get() + armedKills.get(),
          timedKills.get(),
          armedKills.get(),
          armsSet.get(),
          operator.incarnations(),
          operator.selfExits(),
          twilioRequestsDuringChaos,
          faults,
          faults.values().stream().mapToLong(Long::longValue).sum(),
          emulator.counters().total(),
          kube.operatorRequests(),
          kube.conflicts(),
          kube.ipRecordConflicts(),
          kube.watchesDropped(),
          kube.gones(),
          settled,
          emulator.mappingCount(ACCOUNT),
          emulator.duplicateMappings().size(),
          ipRecordSummary(workload, emulator, answers, armedKillsOnIpRecords.get()));
      assertThat(emulator.duplicateMappings()).as("duplicate mappings that ever existed").isEmpty();
      assertThat(answers.refusedCreates())
          .as("IP record creates Twilio refused as a second record of an address")
          .isZero();
      assertThat(timedKills.get() + armedKills.get()).as("hard kills").isGreaterThanOrEqualTo(5);
      assertThat(armedKills.get()).as("kills between a create and its answer").isPositive();
      assertThat(operator.selfExits()).as("incarnations that exited by themselves").isZero();
      // the chaos really happened on every side
      assertThat(faults.values().stream().mapToLong(Long::longValue).sum()).isPositive();
      assertThat(kube.conflicts()).as("409s injected").isPositive();
      assertThat(kube.watchesDropped()).as("watches dropped").isPositive();
      assertThat(kube.gones()).as("410s answered to re-watches").isPositive();
    }
  }

  static Stream<Long> haSeeds() {
    String given = System.getProperty("chaos.ha.seeds", "").trim();
    if (!given.isEmpty()) {
      return Stream.of(given.split(",")).map(String::trim).map(Long::parseLong);
    }
    return Stream.of(new Random().nextLong() & Long.MAX_VALUE);
  }

  /**
   * Two replicas with leader election, each with its own API key of the same account; every hard
   * kill hits the current leader (the armed one kills the replica that sent the create), and the
   * killed replica comes back 1 to 2 s later as a standby. On top of the single-replica invariants:
   * at most one replica led at any moment, and no replica sent anything to Twilio while standby.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("haSeeds")
  void twoReplicasEndExactlyAsTheResourcesAskWhenTheKillsHitTheLeader(long seed) throws Exception {
    ChaosSize size = ChaosSize.forTwoReplicas();
    System.out.printf(
        "chaos HA seed %d (%s); replay: mvn verify -Dit.test='ChaosIT#twoReplicas*'"
            + " -Dchaos.ha.seeds=%d%n",
        seed, size, seed);
    Path logs = ProcessLogs.dir("chaos").resolve("ha-seed-" + seed);
    Random schedule = new Random(seed * 31 + 11);
    try (TwilioEmulator emulator =
            EmulatorExtension.withKnownAccount()
                .allowDuplicateMappings(true)
                .replicaKeys(2)
                .start();
        ChaoticKubernetes kube = new ChaoticKubernetes(seed, NS);
        KillableOperator first = replica(0, kube, emulator, logs);
        KillableOperator second = replica(1, kube, emulator, logs)) {
      kube.driver()
          .namespaces()
          .resource(
              new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                  .withNewMetadata()
                  .withName(LEASE_NS)
                  .endMetadata()
                  .build())
          .create();
      List<KillableOperator> operators = List.of(first, second);
      List<LeaderWatch.Replica> replicas = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        replicas.add(
            new LeaderWatch.Replica(
                r,
                operators.get(r),
                "http://127.0.0.1:" + managementPorts[r] + ManagementPaths.METRICS,
                KnownSecrets.REPLICA_KEY_SIDS.get(r)));
      }
      LeaderWatch watch = new LeaderWatch(replicas);
      Workload workload =
          new Workload(
              seed,
              kube.driver(),
              NS,
              seedIpRecords(emulator, size),
              seedDomains(emulator, "chaos-ha-" + seed),
              size.resources());

      ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
      ScheduledExecutorService chaos = Executors.newScheduledThreadPool(2);
      AtomicInteger timedKills = new AtomicInteger();
      AtomicInteger armedKills = new AtomicInteger();
      AtomicInteger armedKillsOfTheLeader = new AtomicInteger();
      AtomicInteger armed = new AtomicInteger();
      IpRecordAnswers answers = new IpRecordAnswers();
      java.util.function.Consumer<KillableOperator> restartSoon =
          op -> chaos.schedule(op::start, 1000 + draw(schedule, 1000), TimeUnit.MILLISECONDS);
      emulator.onProcessed(
          request -> {
            watch.processed(request);
            answers.processed(request);
            if (armable(request) && armed.get() > 0) {
              synchronized (armed) {
                LeaderWatch.Replica sender = watch.byKey(request.user());
                boolean wasLeader = sender != null && sender == watch.leader();
                if (armed.get() > 0 && sender != null && sender.operator().kill()) {
                  armed.decrementAndGet();
                  armedKills.incrementAndGet();
                  if (wasLeader) {
                    armedKillsOfTheLeader.incrementAndGet();
                  }
                  restartSoon.accept(sender.operator());
                }
              }
            }
          });
      first.start();
      second.start();
      sampler.scheduleWithFixedDelay(watch::sample, 0, 200, TimeUnit.MILLISECONDS);
      emulator.faults().update(twentyPercentFaults(seed));
      kube.conflictProbability(0.1);
      long chaosMillis = size.chaos().toMillis();
      for (int i = 0; i < size.timedKills() + size.armedKills(); i++) {
        boolean arm = i < size.armedKills();
        // the arm early, while creates are frequent; the timed kills anywhere
        long at = chaosMillis / 10 + draw(schedule, chaosMillis * (arm ? 4 : 8) / 10);
        // a new leader gets 1 to 4 s of work before it is killed in turn
        long reign = 1000 + draw(schedule, 3000);
        chaos.schedule(
            new Runnable() {
              @Override
              public void run() {
                LeaderWatch.Replica leader = watch.leader();
                if (leader == null
                    || !leader.operator().up()
                    || armed.get() > 0
                    || watch.leaderForMillis() < reign) {
                  chaos.schedule(this, 500, TimeUnit.MILLISECONDS); // no leader yet: takeover
                } else if (arm) {
                  armed.incrementAndGet();
                } else if (leader.operator().kill()) {
                  timedKills.incrementAndGet();
                  restartSoon.accept(leader.operator());
                }
              }
            },
            at,
            TimeUnit.MILLISECONDS);
      }
      for (KillableOperator op : operators) {
        chaos.scheduleWithFixedDelay(op::restartIfExited, 500, 500, TimeUnit.MILLISECONDS);
      }
      chaos.scheduleWithFixedDelay(
          kube::dropWatches, 1000, 1000 + draw(schedule, 1000), TimeUnit.MILLISECONDS);

      long started = System.nanoTime();
      long deadline = started + size.chaos().toNanos();
      long cap = started + size.chaos().toNanos() * 4;
      int planned = size.timedKills() + size.armedKills();
      long pace = Math.max(20, chaosMillis / (size.resources() * 2L));
      while (!workload.allCreated()
          || System.nanoTime() < deadline
          || (timedKills.get() + armedKills.get() < planned && System.nanoTime() < cap)) {
        workload.step();
        Thread.sleep(pace);
      }
      long chaosSeconds = (System.nanoTime() - started) / 1_000_000_000;

      armed.set(0);
      chaos.shutdownNow();
      assertThat(chaos.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
      Map<String, Long> faults = emulator.counters().faults();
      long twilioRequestsDuringChaos = emulator.counters().total();
      emulator.faults().update(FaultSettings.none());
      kube.conflictProbability(0);
      operators.forEach(KillableOperator::start);
      long settleFrom = System.nanoTime();
      try {
        await()
            .atMost(size.settle())
            .pollInterval(Duration.ofSeconds(1))
            .untilAsserted(
                () -> {
                  operators.forEach(KillableOperator::restartIfExited);
                  List<String> violations = violations(workload, emulator, kube);
                  assertThat(violations)
                      .as(
                          "%d violations, first ones:%n  %s",
                          violations.size(),
                          String.join(
                              "\n  ", violations.subList(0, Math.min(15, violations.size()))))
                      .isEmpty();
                });
      } catch (Throwable failure) {
        for (KillableOperator op : operators) {
          System.out.printf(
              "chaos HA seed %d FAILED: %s%noperator log %s:%n%s%n",
              seed, failure.getMessage(), op.log(op.incarnations()), op.tail(60));
        }
        dump(kube, emulator, logs);
        System.out.println(
            "Events, resources and Twilio's mappings and IP records written to " + logs);
        throw failure;
      } finally {
        sampler.shutdownNow();
        sampler.awaitTermination(30, TimeUnit.SECONDS);
        emulator.onProcessed(null);
      }
      long settled = (System.nanoTime() - settleFrom) / 1_000_000;
      List<String> leadership = watch.violations();

      System.out.printf(
          "chaos HA seed %d settled: %s%n"
              + "  replicas: %d hard kills of the leader (%d at random moments, %d between a"
              + " Twilio create and its answer, %d of them the leader per its gauge), %d + %d"
              + " incarnations, %d exits on their own, %d exits on a lost lease%n"
              + "  leadership: %d leaders observed (%d takeovers), longest without a leader %d ms,"
              + " %d gauge rounds, %d with two leaders%n"
              + "  Twilio: requests by key %s=%d (%d carried out), %s=%d (%d carried out), sent"
              + " while standby %d; %d requests during the %d s of chaos, faults injected %s;"
              + " %d requests in all%n"
              + "  Kubernetes: %d operator requests, %d conflicts injected on mappings and"
              + " IpRecords (%d on IpRecords), %d on the lease, %d watches dropped, %d 410 Gone answered, %d re-watches from before a"
              + " change answered 410%n"
              + "  settled %d ms after the faults stopped; %d mappings at Twilio; %d duplicates"
              + " ever%n"
              + "  IP records: %s%n",
          seed,
          workload.summary(),
          timedKills.get() + armedKills.get(),
          timedKills.get(),
          armedKills.get(),
          armedKillsOfTheLeader.get(),
          first.incarnations(),
          second.incarnations(),
          first.selfExits() + second.selfExits(),
          first.leaseLossExits() + second.leaseLossExits(),
          watch.reignsObserved(),
          Math.max(0, watch.reignsObserved() - 1),
          watch.longestLeaderlessMillis(),
          watch.rounds(),
          watch.roundsWithTwoLeaders(),
          KnownSecrets.REPLICA_KEY_SIDS.get(0),
          emulator.counters().byUser(KnownSecrets.REPLICA_KEY_SIDS.get(0)),
          watch.processedBy(0),
          KnownSecrets.REPLICA_KEY_SIDS.get(1),
          emulator.counters().byUser(KnownSecrets.REPLICA_KEY_SIDS.get(1)),
          watch.processedBy(1),
          leadership.stream().filter(v -> v.contains("standby")).count(),
          twilioRequestsDuringChaos,
          chaosSeconds,
          faults,
          emulator.counters().total(),
          kube.operatorRequests(),
          kube.conflicts(),
          kube.ipRecordConflicts(),
          kube.leaseConflicts(),
          kube.watchesDropped(),
          kube.gones(),
          kube.staleWatches(),
          settled,
          emulator.mappingCount(ACCOUNT),
          emulator.duplicateMappings().size(),
          ipRecordSummary(workload, emulator, answers, -1));
      assertThat(leadership).as("two leaders at once, or a standby talking to Twilio").isEmpty();
      assertThat(emulator.duplicateMappings()).as("duplicate mappings that ever existed").isEmpty();
      assertThat(answers.refusedCreates())
          .as("IP record creates Twilio refused as a second record of an address")
          .isZero();
      assertThat(timedKills.get()).as("timed kills of the leader").isEqualTo(size.timedKills());
      assertThat(armedKills.get()).as("kills between a create and its answer").isPositive();
      assertThat(first.selfExits() + second.selfExits())
          .as("incarnations that exited by themselves, other than on a lost lease")
          .isZero();
      assertThat(watch.reignsObserved())
          .as("leaders observed: the first, then a takeover after each kill")
          .isGreaterThanOrEqualTo(1 + timedKills.get() + armedKills.get());
      assertThat(emulator.counters().byUser(ACCOUNT)).as("requests with the auth token").isZero();
      assertThat(faults.values().stream().mapToLong(Long::longValue).sum()).isPositive();
      assertThat(kube.conflicts()).as("409s injected").isPositive();
      assertThat(kube.watchesDropped()).as("watches dropped").isPositive();
      assertThat(kube.gones()).as("410s answered to re-watches").isPositive();
    }
  }

  private final int[] managementPorts = new int[2];

  /** Replica {@code r}: its own API key, management port, token and log directory. */
  private KillableOperator replica(
      int r, ChaoticKubernetes kube, TwilioEmulator emulator, Path logs) throws Exception {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      managementPorts[r] = socket.getLocalPort();
    }
    Path dir = logs.resolve("replica-" + r);
    String port = Integer.toString(managementPorts[r]);
    return new KillableOperator(
        dir,
        incarnation -> {
          try {
            return Map.of(
                "KUBECONFIG",
                kube.writeOperatorKubeconfig(
                        dir.resolve("kubeconfig-" + incarnation), "r" + r + "-" + incarnation)
                    .toString(),
                "TWILIO_BASE_URL",
                emulator.baseUrl(),
                "TWILIO_ACCOUNT_SID",
                ACCOUNT,
                "TWILIO_API_KEY",
                KnownSecrets.REPLICA_KEY_SIDS.get(r),
                "TWILIO_API_SECRET",
                KnownSecrets.REPLICA_SECRETS.get(r),
                "SOURCEIP_LEADER_ELECTION",
                "true",
                "SOURCEIP_LEASE_NAMESPACE",
                LEASE_NS,
                "SOURCEIP_MANAGEMENT_PORT",
                port);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        },
        List.of("--namespaces", NS, "--resync-interval", "5s"));
  }

  /** Three SIP domains at Twilio, by domain name. */
  static Map<String, String> seedDomains(TwilioEmulator emulator, String prefix) {
    Map<String, String> domains = new LinkedHashMap<>();
    for (int i = 0; i < 3; i++) {
      String name = prefix + "-" + i + ".sip.twilio.com";
      domains.put(name, emulator.createSipDomain(ACCOUNT, name));
    }
    return domains;
  }

  /** The IP records the mappings by SID take, at 10.0.x.y (the IpRecords use 172.16.x.y). */
  static List<String> seedIpRecords(TwilioEmulator emulator, ChaosSize size) {
    List<String> pool = new ArrayList<>();
    for (int i = 0; i < Workload.poolFor(size.resources()); i++) {
      pool.add(
          emulator.createIpRecord(
              ACCOUNT, "10.%d.%d.%d".formatted(i >> 16, (i >> 8) & 255, i & 255), 32, "chaos"));
    }
    return pool;
  }

  /** A create Twilio has just carried out, of a mapping or an IP record: a moment to kill. */
  static boolean armable(ProcessedRequest request) {
    return request.method().equals("POST")
        && (request.pathTemplate().equals(MAPPINGS) || request.pathTemplate().equals(IP_RECORDS))
        && request.status() == 201;
  }

  /**
   * Counts the IP record answers that tell of a mistake Twilio stopped: a create refused with 400
   * (in this workload only "An IP record for … already exists": every address is valid and no range
   * is set), which at a Twilio that allowed it would have been a duplicate, and a delete refused
   * with 400 (an IP record a mapping still uses). Counted as carried out, before an answer is lost
   * to a reset.
   */
  static final class IpRecordAnswers implements ProcessedRequest.Listener {
    private final AtomicInteger refusedCreates = new AtomicInteger();
    private final AtomicInteger refusedDeletes = new AtomicInteger();
    private final AtomicInteger created = new AtomicInteger();

    @Override
    public void processed(ProcessedRequest request) {
      if (request.method().equals("POST") && request.pathTemplate().equals(IP_RECORDS)) {
        if (request.status() == 400) {
          refusedCreates.incrementAndGet();
        } else if (request.status() == 201) {
          created.incrementAndGet();
        }
      } else if (request.method().equals("DELETE")
          && request.pathTemplate().equals(IP_RECORD)
          && request.status() == 400) {
        refusedDeletes.incrementAndGet();
      }
    }

    int refusedCreates() {
      return refusedCreates.get();
    }

    int refusedDeletes() {
      return refusedDeletes.get();
    }

    int created() {
      return created.get();
    }
  }

  private static String ipRecordSummary(
      Workload workload, TwilioEmulator emulator, IpRecordAnswers answers, int armedKills) {
    long seeded =
        emulator.ipRecords(ACCOUNT).stream()
            .filter(r -> workload.seededIpRecords().contains(r.sid()))
            .count();
    return "%d at Twilio (%d seeded for mappings by SID, %d of IpRecords), %d created by the"
            .formatted(
                emulator.ipRecordCount(ACCOUNT),
                seeded,
                emulator.ipRecordCount(ACCOUNT) - seeded,
                answers.created())
        + " operator, %d creates refused as a second record of an address, %d deletes refused as in use"
            .formatted(answers.refusedCreates(), answers.refusedDeletes())
        + (armedKills < 0 ? "" : ", %d armed kills on an IP record create".formatted(armedKills));
  }

  /** 20% of Twilio requests fail one way or another, and latency spikes up to 300 ms. */
  static FaultSettings twentyPercentFaults(long seed) {
    return FaultSettings.none()
        .withLatencyMs(5)
        .withLatencyJitterMs(300)
        .withProbabilityResetBefore(0.04)
        .withProbability429(0.05)
        .withProbability503(0.04)
        .withProbability500(0.04)
        .withProbabilityResetAfter(0.04)
        .withRetryAfterSeconds(1)
        .withSeed(seed);
  }

  /** Everything that differs from the settled state the workload asked for. */
  static List<String> violations(
      Workload workload, TwilioEmulator emulator, ChaoticKubernetes kube) {
    List<String> problems = new ArrayList<>();
    Map<String, List<StoredSourceIpMapping>> twilio =
        emulator.sourceIpMappings(ACCOUNT).stream()
            .collect(Collectors.groupingBy(StoredSourceIpMapping::ipRecordSid));
    Map<String, SourceIpMapping> kubernetes =
        kube.driver().resources(SourceIpMapping.class).inNamespace(NS).list().getItems().stream()
            .collect(Collectors.toMap(r -> r.getMetadata().getName(), Function.identity()));
    Set<String> known = new HashSet<>(workload.abandonedIpRecords().keySet());

    workload
        .live()
        .forEach(
            (name, wanted) -> {
              known.add(wanted.ipRecordSid());
              List<StoredSourceIpMapping> held =
                  twilio.getOrDefault(wanted.ipRecordSid(), List.of());
              if (held.size() != 1) {
                problems.add(
                    name + ": " + held.size() + " Twilio mappings for " + wanted.ipRecordSid());
              } else if (!held.get(0).sipDomainSid().equals(wanted.sipDomainSid())) {
                problems.add(
                    name
                        + ": Twilio maps to "
                        + held.get(0).sipDomainSid()
                        + ", spec wants "
                        + wanted.sipDomainSid());
              }
              SourceIpMapping resource = kubernetes.get(name);
              if (resource == null) {
                problems.add(name + ": gone from Kubernetes though never deleted");
                return;
              }
              var status = resource.getStatus();
              if (status == null
                  || !Long.valueOf(resource.getMetadata().getGeneration())
                      .equals(status.getObservedGeneration())
                  || status.getConditions().stream().noneMatch(ChaosIT::readyTrue)) {
                problems.add(name + ": not Ready at its generation: " + describe(resource));
              } else if (held.size() == 1 && !held.get(0).sid().equals(status.getSid())) {
                problems.add(
                    name
                        + ": status names "
                        + status.getSid()
                        + ", Twilio holds "
                        + held.get(0).sid());
              }
            });
    workload
        .deleted()
        .forEach(
            (name, wanted) -> {
              known.add(wanted.ipRecordSid());
              SourceIpMapping stuck = kubernetes.get(name);
              if (stuck != null) {
                problems.add(name + ": deleted but still present: " + describe(stuck));
              }
              int held = twilio.getOrDefault(wanted.ipRecordSid(), List.of()).size();
              if (wanted.deletionPolicy() == DeletionPolicy.Delete ? held != 0 : held > 1) {
                problems.add(
                    name
                        + ": deleted with "
                        + wanted.deletionPolicy()
                        + ", yet Twilio holds "
                        + held
                        + " mappings for "
                        + wanted.ipRecordSid());
              }
            });
    workload
        .abandonedIpRecords()
        .forEach(
            (ip, name) -> {
              Workload.Wanted gone = workload.deleted().get(name);
              if (gone != null && gone.deletionPolicy() == DeletionPolicy.Orphan) {
                // deleted with Orphan before the operator caught up with the move: the mapping
                // status recorded is the one left in place
                if (twilio.getOrDefault(ip, List.of()).size() > 1) {
                  problems.add(name + ": orphaned IP record " + ip + " holds several mappings");
                }
              } else if (twilio.containsKey(ip)) {
                problems.add(name + ": moved off IP record " + ip + ", which is still mapped");
              }
            });
    known.addAll(pairViolations(workload, emulator, kube, twilio, kubernetes, problems));
    twilio.keySet().stream()
        .filter(ip -> !known.contains(ip))
        .forEach(ip -> problems.add("Twilio maps IP record " + ip + ", which no resource named"));
    return problems;
  }

  /**
   * The IpRecords and the mappings naming them: Twilio holds one IP record per address, each either
   * seeded for the mappings by SID or declared by a live IpRecord, that IpRecord Ready with its SID
   * and friendlyName; the mapping Ready with its IpRecord's SID and its domain's SID, and exactly
   * one Twilio mapping; nothing of a deleted pair is left. Returns the SIDs of the live pairs' IP
   * records (whose mappings are accounted for).
   */
  private static Set<String> pairViolations(
      Workload workload,
      TwilioEmulator emulator,
      ChaoticKubernetes kube,
      Map<String, List<StoredSourceIpMapping>> twilio,
      Map<String, SourceIpMapping> mappings,
      List<String> problems) {
    Map<String, List<StoredIpRecord>> byAddress =
        emulator.ipRecords(ACCOUNT).stream()
            .collect(Collectors.groupingBy(r -> r.ipAddress() + "/" + r.cidrPrefixLength()));
    byAddress.forEach(
        (address, held) -> {
          if (held.size() > 1) {
            problems.add(
                "Twilio holds "
                    + held.size()
                    + " IP records for "
                    + address
                    + ": "
                    + held.stream().map(StoredIpRecord::sid).toList());
          }
        });
    Map<String, IpRecord> ipRecords =
        kube.driver().resources(IpRecord.class).inNamespace(NS).list().getItems().stream()
            .collect(Collectors.toMap(r -> r.getMetadata().getName(), Function.identity()));
    Set<String> declared = new HashSet<>();
    Set<String> sids = new HashSet<>();
    workload
        .livePairs()
        .forEach(
            (name, pair) -> {
              String address = pair.address() + "/32";
              declared.add(address);
              List<StoredIpRecord> held = byAddress.getOrDefault(address, List.of());
              if (held.size() != 1) {
                problems.add(name + ": " + held.size() + " Twilio IP records for " + address);
              } else if (!Objects.equals(held.get(0).friendlyName(), pair.friendlyName())) {
                problems.add(
                    name
                        + ": Twilio names "
                        + held.get(0).sid()
                        + " '"
                        + held.get(0).friendlyName()
                        + "', spec wants '"
                        + pair.friendlyName()
                        + "'");
              }
              String twilioSid = held.size() == 1 ? held.get(0).sid() : null;
              if (twilioSid != null) {
                sids.add(twilioSid);
              }
              IpRecord ipRecord = ipRecords.get(name);
              String ipRecordSid = null;
              if (ipRecord == null) {
                problems.add(name + ": gone from Kubernetes though never deleted");
              } else if (!readyAtGeneration(
                  ipRecord.getMetadata().getGeneration(),
                  ipRecord.getStatus() == null
                      ? null
                      : ipRecord.getStatus().getObservedGeneration(),
                  ipRecord.getStatus() == null ? null : ipRecord.getStatus().getConditions())) {
                problems.add(name + ": not Ready at its generation: " + describe(ipRecord));
              } else {
                ipRecordSid = ipRecord.getStatus().getSid();
                if (twilioSid != null && !twilioSid.equals(ipRecordSid)) {
                  problems.add(
                      name + ": status names " + ipRecordSid + ", Twilio holds " + twilioSid);
                }
              }
              SourceIpMapping mapping = mappings.get(pair.mapping());
              if (mapping == null) {
                problems.add(pair.mapping() + ": gone from Kubernetes though never deleted");
                return;
              }
              var status = mapping.getStatus();
              String domainSid = workload.domainSid(pair.domainName());
              if (status == null
                  || !readyAtGeneration(
                      mapping.getMetadata().getGeneration(),
                      status.getObservedGeneration(),
                      status.getConditions())) {
                problems.add(
                    pair.mapping() + ": not Ready at its generation: " + describe(mapping));
                return;
              }
              if (ipRecordSid != null && !ipRecordSid.equals(status.getIpRecordSid())) {
                problems.add(
                    pair.mapping()
                        + ": status.ipRecordSid "
                        + status.getIpRecordSid()
                        + ", IpRecord "
                        + name
                        + " names "
                        + ipRecordSid);
              }
              if (!domainSid.equals(status.getSipDomainSid())) {
                problems.add(
                    pair.mapping()
                        + ": status.sipDomainSid "
                        + status.getSipDomainSid()
                        + ", "
                        + pair.domainName()
                        + " is "
                        + domainSid);
              }
              if (twilioSid == null) {
                return;
              }
              List<StoredSourceIpMapping> mapped = twilio.getOrDefault(twilioSid, List.of());
              if (mapped.size() != 1) {
                problems.add(
                    pair.mapping() + ": " + mapped.size() + " Twilio mappings for " + twilioSid);
              } else if (!mapped.get(0).sipDomainSid().equals(domainSid)) {
                problems.add(
                    pair.mapping()
                        + ": Twilio maps to "
                        + mapped.get(0).sipDomainSid()
                        + ", spec wants "
                        + domainSid
                        + " ("
                        + pair.domainName()
                        + ")");
              } else if (!mapped.get(0).sid().equals(status.getSid())) {
                problems.add(
                    pair.mapping()
                        + ": status names "
                        + status.getSid()
                        + ", Twilio holds "
                        + mapped.get(0).sid());
              }
            });
    workload
        .deletedPairs()
        .forEach(
            (name, pair) -> {
              if (ipRecords.containsKey(name)) {
                problems.add(
                    name + ": deleted but still present: " + describe(ipRecords.get(name)));
              }
              if (mappings.containsKey(pair.mapping())) {
                problems.add(
                    pair.mapping()
                        + ": deleted but still present: "
                        + describe(mappings.get(pair.mapping())));
              }
            });
    emulator.ipRecords(ACCOUNT).stream()
        .filter(r -> !workload.seededIpRecords().contains(r.sid()))
        .filter(r -> !declared.contains(r.ipAddress() + "/" + r.cidrPrefixLength()))
        .forEach(
            r ->
                problems.add(
                    "Twilio holds IP record "
                        + r.sid()
                        + " for "
                        + r.ipAddress()
                        + "/"
                        + r.cidrPrefixLength()
                        + " ('"
                        + r.friendlyName()
                        + "'), which no live IpRecord declares"));
    return sids;
  }

  private static boolean readyAtGeneration(
      Long generation, Long observedGeneration, List<Condition> conditions) {
    return generation != null
        && generation.equals(observedGeneration)
        && conditions != null
        && conditions.stream().anyMatch(ChaosIT::readyTrue);
  }

  private static boolean readyTrue(Condition c) {
    return "Ready".equals(c.getType()) && "True".equals(c.getStatus());
  }

  private static String describe(IpRecord resource) {
    var status = resource.getStatus();
    return "generation="
        + resource.getMetadata().getGeneration()
        + " deletionTimestamp="
        + resource.getMetadata().getDeletionTimestamp()
        + " finalizers="
        + resource.getMetadata().getFinalizers()
        + (status == null
            ? " status=null"
            : " observedGeneration="
                + status.getObservedGeneration()
                + " sid="
                + status.getSid()
                + " usedBy="
                + status.getUsedBy()
                + " conditions="
                + status.getConditions().stream()
                    .map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
                    .toList());
  }

  private static String describe(SourceIpMapping resource) {
    var status = resource.getStatus();
    return "generation="
        + resource.getMetadata().getGeneration()
        + " deletionTimestamp="
        + resource.getMetadata().getDeletionTimestamp()
        + " finalizers="
        + resource.getMetadata().getFinalizers()
        + (status == null
            ? " status=null"
            : " observedGeneration="
                + status.getObservedGeneration()
                + " sid="
                + status.getSid()
                + " ipRecordSid="
                + status.getIpRecordSid()
                + " sipDomainSid="
                + status.getSipDomainSid()
                + " conditions="
                + status.getConditions().stream()
                    .map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
                    .toList());
  }

  /** Every Event and resource as the API server holds them, and Twilio's mappings, as files. */
  private static void dump(ChaoticKubernetes kube, TwilioEmulator emulator, Path logs)
      throws java.io.IOException {
    var json = kube.driver().getKubernetesSerialization();
    java.nio.file.Files.writeString(
        logs.resolve("events.json"),
        json.asJson(kube.driver().v1().events().inNamespace(NS).list()));
    java.nio.file.Files.writeString(
        logs.resolve("resources.json"),
        json.asJson(kube.driver().resources(SourceIpMapping.class).inNamespace(NS).list()));
    java.nio.file.Files.writeString(
        logs.resolve("twilio.json"), json.asJson(emulator.sourceIpMappings(ACCOUNT)));
    java.nio.file.Files.writeString(
        logs.resolve("iprecords.json"),
        json.asJson(kube.driver().resources(IpRecord.class).inNamespace(NS).list()));
    java.nio.file.Files.writeString(
        logs.resolve("twilio-iprecords.json"), json.asJson(emulator.ipRecords(ACCOUNT)));
  }

  private static String kubeconfig(ChaoticKubernetes kube, Path logs, int incarnation) {
    try {
      return kube.writeOperatorKubeconfig(logs.resolve("kubeconfig-" + incarnation), incarnation)
          .toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long draw(Random random, long bound) {
    synchronized (random) {
      return bound <= 0 ? 0 : (long) (random.nextDouble() * bound);
    }
  }
}
