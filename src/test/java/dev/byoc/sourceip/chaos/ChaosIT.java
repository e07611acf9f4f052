package dev.byoc.sourceip.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.ProcessLogs;
import dev.byoc.sourceip.api.v1alpha1.CredentialsSecretRef;
import dev.byoc.sourceip.api.v1alpha1.DeletionPolicy;
import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.TwilioAccount;
import dev.byoc.sourceip.api.v1alpha1.TwilioAccountSpec;
import dev.byoc.sourceip.emulator.DuplicateMapping;
import dev.byoc.sourceip.emulator.FaultSettings;
import dev.byoc.sourceip.emulator.ProcessedRequest;
import dev.byoc.sourceip.emulator.StoredIpRecord;
import dev.byoc.sourceip.emulator.StoredSourceIpMapping;
import dev.byoc.sourceip.emulator.TwilioEmulator;
import dev.byoc.sourceip.health.ManagementPaths;
import dev.byoc.sourceip.testing.EmulatorExtension;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 * Ready or gone. The single-replica run does it across two namespaces and two accounts (one the
 * operator's own, one a TwilioAccount whose token is rotated mid-run): each account must hold
 * exactly what its namespace asks for and nothing of the other's, with no 401 outside the rotation.
 * Replay a seed with {@code -Dit.test=ChaosIT -Dchaos.seeds=<seed>}.
 */
@Tag("chaos")
class ChaosIT {
  static final String NS = "chaos"; // the two-replica run's only namespace
  static final String ACCOUNT = KnownSecrets.ACCOUNT_SID;
  static final String TOKEN = KnownSecrets.AUTH_TOKEN; // the secret scan reads every log of the run

  /** The single-replica run's namespaces: A served by the operator's own account (its env). */
  static final String NS_A = "chaos-a";

  /** ... and B, by its TwilioAccount {@code default}, whose Secret holds account B. */
  static final String NS_B = "chaos-b";

  static final String ACCOUNT_B = KnownSecrets.OTHER_ACCOUNT_SID;
  static final String TOKEN_B = KnownSecrets.OTHER_AUTH_TOKEN;
  static final String ROTATED_TOKEN_B = KnownSecrets.ROTATED_AUTH_TOKEN;
  static final String SECRET_B = "twilio-b";
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
    return LongStream.generate(() -> random.nextLong() & Long.MAX_VALUE).limit(2).boxed();
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
                .account(ACCOUNT_B, TOKEN_B)
                .allowDuplicateMappings(true) // so a duplicate the operator asks for would exist
                .start();
        ChaoticKubernetes kube = new ChaoticKubernetes(seed, NS_A, NS_B);
        KillableOperator operator =
            new KillableOperator(
                logs,
                incarnation ->
                    Map.of(
                        "KUBECONFIG",
                        kubeconfig(kube, logs, incarnation),
                        "TWILIO_BASE_URL",
                        emulator.baseUrl(),
                        // the operator's own account: namespace A's, which has no TwilioAccount
                        "TWILIO_ACCOUNT_SID",
                        ACCOUNT,
                        "TWILIO_AUTH_TOKEN",
                        TOKEN),
                List.of("--namespaces", NS_A + "," + NS_B, "--resync-interval", "5s"))) {
      // half of the resources in each namespace (A takes the odd one), each in its own account
      // with its own IP records, domains and address ranges; the same resource names in both
      int resourcesB = size.resources() / 2;
      Side a =
          side(
              seed,
              kube,
              emulator,
              NS_A,
              ACCOUNT,
              "10.0",
              "172.16",
              size.resources() - resourcesB,
              "chaos-a-" + seed,
              "account A (the operator's own)");
      Side b =
          side(
              seed + 1,
              kube,
              emulator,
              NS_B,
              ACCOUNT_B,
              "10.1",
              "172.17",
              resourcesB,
              "chaos-b-" + seed,
              "account B (TwilioAccount " + NS_B + "/default)");
      List<Side> sides = List.of(a, b);
      // namespace B's account, before the operator first starts (else B's resources would be
      // served by the operator's own account, as the documented default resolution says)
      kube.driver().resource(credentials(NS_B, SECRET_B, ACCOUNT_B, TOKEN_B)).create();
      kube.driver().resource(defaultAccount(NS_B, SECRET_B)).create();

      ScheduledExecutorService chaos = Executors.newScheduledThreadPool(2);
      AtomicInteger timedKills = new AtomicInteger();
      AtomicInteger armedKills = new AtomicInteger();
      AtomicInteger armsSet = new AtomicInteger();
      AtomicInteger armedKillsOnIpRecords = new AtomicInteger();
      AtomicInteger armed = new AtomicInteger(); // kills waiting for the next create
      IpRecordAnswers answers = new IpRecordAnswers();
      AccountCrossings crossings = new AccountCrossings(emulator, sides);
      ProcessedRequest.Listener counting =
          request -> {
            answers.processed(request);
            crossings.processed(request);
          };
      Rotation rotation = new Rotation(kube, emulator, operator);
      Runnable restartSoon =
          () -> chaos.schedule(operator::start, 200 + draw(schedule, 1000), TimeUnit.MILLISECONDS);
      emulator.onProcessed(
          request -> {
            counting.processed(request);
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
        // an incarnation gets 1 to 3 s of work before a kill (or an arm) hits it: else, with a
        // slow start (seconds on a loaded machine), the kills that came due while it was starting
        // hit it the moment it is up, one after the other, and it never works under the faults
        long work = 1000 + draw(schedule, 2000);
        chaos.schedule(
            new Runnable() {
              private int seenUp; // the incarnation this kill saw up first, and waits for

              @Override
              public void run() {
                if (!operator.up()) {
                  chaos.schedule(this, 500, TimeUnit.MILLISECONDS); // still restarting
                } else if (seenUp != operator.incarnations()) {
                  seenUp = operator.incarnations();
                  chaos.schedule(this, work, TimeUnit.MILLISECONDS);
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
      // account B's token, rotated once in the middle third of the traffic, while an incarnation
      // is up (so that it is mostly the running one that must take the new Secret in place)
      chaos.schedule(
          new Runnable() {
            @Override
            public void run() {
              if (!operator.up()) {
                chaos.schedule(this, 500, TimeUnit.MILLISECONDS);
              } else {
                rotation.rotate(operator.incarnations());
              }
            }
          },
          chaosMillis / 3 + draw(schedule, chaosMillis / 3),
          TimeUnit.MILLISECONDS);
      chaos.scheduleWithFixedDelay(rotation::shown, 1000, 200, TimeUnit.MILLISECONDS);
      chaos.scheduleWithFixedDelay(operator::restartIfExited, 500, 500, TimeUnit.MILLISECONDS);
      chaos.scheduleWithFixedDelay(
          kube::dropWatches, 1000, 1000 + draw(schedule, 1000), TimeUnit.MILLISECONDS);

      long started = System.nanoTime();
      long deadline = started + size.chaos().toNanos();
      long cap = started + size.chaos().toNanos() * 3;
      int planned = size.timedKills() + size.armedKills();
      // until the time is up, every resource was created and every kill happened (capped);
      // two operations per resource over the chaos window, at an even pace (not a wait), the
      // namespaces taking turns
      long pace = Math.max(20, chaosMillis / (size.resources() * 2L));
      int turn = 0;
      while (!sides.stream().allMatch(s -> s.workload().allCreated())
          || System.nanoTime() < deadline
          || (timedKills.get() + armedKills.get() < planned && System.nanoTime() < cap)) {
        sides.get(turn++ % sides.size()).workload().step();
        Thread.sleep(pace);
      }

      armed.set(0);
      chaos.shutdownNow();
      assertThat(chaos.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
      emulator.onProcessed(counting); // refused answers and crossings count until the end
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
                  List<String> violations = violations(sides, emulator, kube);
                  violations.addAll(accountViolations(kube, rotation));
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
            "chaos seed %d FAILED: %s%noperator log %s:%n%s%nbusy reconcile threads:%n%s%n",
            seed,
            failure.getMessage(),
            operator.log(operator.incarnations()),
            operator.tail(80),
            operator.reconcileThreads());
        dump(kube, emulator, logs, sides);
        System.out.println(
            "Events, resources and Twilio's mappings and IP records written to " + logs);
        throw failure;
      }
      long settled = (System.nanoTime() - settleFrom) / 1_000_000;
      long unauthorized = unauthorized(emulator);
      Map<String, Long> duplicates =
          emulator.duplicateMappings().stream()
              .collect(Collectors.groupingBy(DuplicateMapping::accountSid, Collectors.counting()));

      System.out.printf(
          "chaos seed %d settled:%n  %s: %s%n  %s: %s%n"
              + "  operator: %d hard kills (%d at random moments, %d between a Twilio create and"
              + " its answer, %d armed), %d incarnations, %d exits on its own%n"
              + "  Twilio: %d requests during the chaos, faults injected %s (%d in all);"
              + " %d requests in all%n"
              + "  Kubernetes: %d operator requests, %d conflicts injected (%d on IpRecords, %d on"
              + " TwilioAccounts), %d watches dropped, %d 410 Gone answered%n"
              + "  settled %d ms after the faults stopped; mappings at Twilio: %d in A, %d in B;"
              + " duplicates ever: %s%n"
              + "  accounts: %s; %s%n"
              + "  IP records: %s%n",
          seed,
          NS_A,
          a.workload().summary(),
          NS_B,
          b.workload().summary(),
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
          kube.accountConflicts(),
          kube.watchesDropped(),
          kube.gones(),
          settled,
          emulator.mappingCount(ACCOUNT),
          emulator.mappingCount(ACCOUNT_B),
          duplicates.isEmpty() ? "0" : duplicates,
          crossings.summary(),
          rotation.summary(unauthorized),
          ipRecordSummary(sides, emulator, answers, armedKillsOnIpRecords.get()));
      assertThat(emulator.duplicateMappings()).as("duplicate mappings that ever existed").isEmpty();
      assertThat(answers.refusedCreates())
          .as("IP record creates Twilio refused as a second record of an address")
          .isZero();
      // per account: nothing of one namespace ever reached the other's account
      assertThat(crossings.violations()).as("requests that crossed accounts").isEmpty();
      assertThat(crossings.requests(ACCOUNT)).as("requests to account A").isPositive();
      assertThat(crossings.requests(ACCOUNT_B)).as("requests to account B").isPositive();
      // no 401 but in the rotation's window (Twilio has the new token, the operator not yet)
      assertThat(rotation.unauthorizedBefore()).as("401s before the rotation").isZero();
      assertThat(unauthorized)
          .as("401s once account B's status showed the rotated Secret")
          .isEqualTo(rotation.unauthorizedWhenShown());
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
      Side only =
          side(
              seed,
              kube,
              emulator,
              NS,
              ACCOUNT,
              "10.0",
              "172.16",
              size.resources(),
              "chaos-ha-" + seed,
              "account A");
      Workload workload = only.workload();

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
                  List<String> violations = violations(List.of(only), emulator, kube);
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
        dump(kube, emulator, logs, List.of(only));
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
          ipRecordSummary(List.of(only), emulator, answers, -1));
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

  /** Three SIP domains in the account, by domain name. */
  static Map<String, String> seedDomains(TwilioEmulator emulator, String account, String prefix) {
    Map<String, String> domains = new LinkedHashMap<>();
    for (int i = 0; i < 3; i++) {
      String name = prefix + "-" + i + ".sip.twilio.com";
      domains.put(name, emulator.createSipDomain(account, name));
    }
    return domains;
  }

  /**
   * The IP records the mappings by SID of {@code resources} take, in the account, at {@code
   * range}.x.y (e.g. 10.0.x.y; the IpRecords use another range, e.g. 172.16.x.y).
   */
  static List<String> seedIpRecords(
      TwilioEmulator emulator, String account, String range, int resources) {
    List<String> pool = new ArrayList<>();
    for (int i = 0; i < Workload.poolFor(resources); i++) {
      pool.add(
          emulator.createIpRecord(
              account, "%s.%d.%d".formatted(range, (i >> 8) & 255, i & 255), 32, "chaos"));
    }
    return pool;
  }

  /**
   * One namespace of a run and what serves it: its account, its traffic and the address ranges its
   * IP records use (the seeded ones for the mappings by SID, the IpRecords' own), apart from the
   * other namespace's so that a record at Twilio tells which namespace asked for it.
   */
  record Side(
      String namespace,
      String accountSid,
      Workload workload,
      String seededRange,
      String pairRange,
      String label) {
    /** Whether the IP record lies in one of this namespace's ranges. */
    boolean owns(StoredIpRecord record) {
      return record.ipAddress().startsWith(seededRange + ".")
          || record.ipAddress().startsWith(pairRange + ".");
    }
  }

  /** A side: its IP records and SIP domains seeded in its account, its workload. */
  static Side side(
      long seed,
      ChaoticKubernetes kube,
      TwilioEmulator emulator,
      String namespace,
      String account,
      String seededRange,
      String pairRange,
      int resources,
      String domainPrefix,
      String label) {
    Workload workload =
        new Workload(
            seed,
            kube.driver(),
            namespace,
            seedIpRecords(emulator, account, seededRange, resources),
            seedDomains(emulator, account, domainPrefix),
            pairRange,
            resources);
    return new Side(namespace, account, workload, seededRange, pairRange, label);
  }

  /**
   * A credentials Secret as the chart documents it (label, accountSid, authToken), in {@code data}:
   * the CRUD mock does not turn {@code stringData} into {@code data}.
   */
  static Secret credentials(String namespace, String name, String accountSid, String token) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(Map.of(CredentialsSecretRef.LABEL, "true"))
        .endMetadata()
        .withData(Map.of("accountSid", base64(accountSid), "authToken", base64(token)))
        .build();
  }

  private static String base64(String text) {
    return java.util.Base64.getEncoder()
        .encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The namespace's TwilioAccount {@code default}: used by every resource without accountRef. */
  static TwilioAccount defaultAccount(String namespace, String secret) {
    TwilioAccount account = new TwilioAccount();
    account.setMetadata(
        new ObjectMetaBuilder().withName("default").withNamespace(namespace).build());
    TwilioAccountSpec spec = new TwilioAccountSpec();
    spec.setCredentialsSecretRef(new CredentialsSecretRef(secret));
    account.setSpec(spec);
    return account;
  }

  /** Namespace B's TwilioAccount: Ready, account B, showing the rotated Secret once rotated. */
  static List<String> accountViolations(ChaoticKubernetes kube, Rotation rotation) {
    List<String> problems = new ArrayList<>();
    TwilioAccount account =
        kube.driver().resources(TwilioAccount.class).inNamespace(NS_B).withName("default").get();
    if (account == null) {
      return List.of(NS_B + "/default: the TwilioAccount is gone");
    }
    var status = account.getStatus();
    if (status == null
        || !readyAtGeneration(
            account.getMetadata().getGeneration(),
            status.getObservedGeneration(),
            status.getConditions())) {
      problems.add(NS_B + "/default: TwilioAccount not Ready at its generation: " + status);
    } else if (!ACCOUNT_B.equals(status.getAccountSid())) {
      problems.add(NS_B + "/default: status.accountSid " + status.getAccountSid());
    }
    if (!rotation.shown()) {
      problems.add(
          NS_B
              + "/default: status.credentialsVersion "
              + (status == null ? null : status.getCredentialsVersion())
              + ", the rotated Secret is "
              + rotation.version());
    }
    return problems;
  }

  /**
   * What each account's Twilio was asked, from the processed requests (those Twilio carried out):
   * requests by account, and every trace of a request sent for one namespace's resource with the
   * other namespace's account. A mapping create for an IP record or SIP domain the account does not
   * hold is refused (400): in this workload nothing else refuses a mapping create (duplicates are
   * let through, no seeded record is ever deleted), so any such 400 is a create of the other
   * namespace's mapping. An IP record create the account carries out is checked at once against its
   * namespace's address ranges (another namespace's IpRecord created in this account).
   */
  static final class AccountCrossings implements ProcessedRequest.Listener {
    private final TwilioEmulator emulator;
    private final Map<String, Side> byAccount = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> posts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> notFound = new ConcurrentHashMap<>();
    private final Set<String> violations = ConcurrentHashMap.newKeySet();

    AccountCrossings(TwilioEmulator emulator, List<Side> sides) {
      this.emulator = emulator;
      sides.forEach(s -> byAccount.put(s.accountSid(), s));
    }

    @Override
    public void processed(ProcessedRequest request) {
      String account = request.accountSid();
      count(requests, account);
      Side side = byAccount.get(account);
      if (side == null) {
        violations.add("a request to account " + account + ", which no namespace uses");
        return;
      }
      if (request.status() == 404) {
        count(notFound, account); // printed: a fetch, update or delete of a SID it does not hold
      }
      if (!request.method().equals("POST")) {
        return;
      }
      count(posts, account);
      if (request.pathTemplate().equals(MAPPINGS) && request.status() == 400) {
        violations.add(
            "a mapping create refused in "
                + side.label()
                + " (an IP record or SIP domain it does not hold: the other namespace's?)");
      } else if (request.pathTemplate().equals(IP_RECORDS) && request.status() == 201) {
        emulator.ipRecords(account).stream()
            .filter(r -> !side.owns(r))
            .forEach(
                r ->
                    violations.add(
                        "IP record "
                            + r.sid()
                            + " for "
                            + r.ipAddress()
                            + " created in "
                            + side.label()
                            + ", outside "
                            + side.namespace()
                            + "'s ranges"));
      }
    }

    private static void count(Map<String, AtomicLong> counts, String account) {
      counts.computeIfAbsent(account, k -> new AtomicLong()).incrementAndGet();
    }

    long requests(String account) {
      AtomicLong n = requests.get(account);
      return n == null ? 0 : n.get();
    }

    List<String> violations() {
      return List.copyOf(violations);
    }

    String summary() {
      return byAccount.values().stream()
              .map(
                  side ->
                      "%s: %d requests carried out (%d POSTs, %d answered 404)"
                          .formatted(
                              side.label(),
                              requests(side.accountSid()),
                              value(posts, side.accountSid()),
                              value(notFound, side.accountSid())))
              .sorted()
              .collect(Collectors.joining(", "))
          + ", %d crossings".formatted(violations.size());
    }

    private static long value(Map<String, AtomicLong> counts, String account) {
      AtomicLong n = counts.get(account);
      return n == null ? 0 : n.get();
    }
  }

  /**
   * Account B's token rotated once mid-run as an administrator does it: Twilio first (the old token
   * is refused from then on), then the Secret. 401s are counted before (none allowed), and from the
   * first moment the TwilioAccount's {@code status.credentialsVersion} names the new Secret (polled
   * every 200 ms: a 401 between the status write and the poll that sees it is excused).
   */
  static final class Rotation {
    private final ChaoticKubernetes kube;
    private final TwilioEmulator emulator;
    private final KillableOperator operator;
    private volatile int rotatedIn;
    private volatile int shownBy;
    private volatile String version;
    private volatile long rotatedAt;
    private volatile long shownAfterMillis = -1;
    private volatile long unauthorizedBefore = -1;
    private volatile long unauthorizedWhenShown = -1;
    private volatile long unauthorizedSeen;
    private volatile long lastUnauthorizedAfterMillis = -1; // the last rise of the count seen

    Rotation(ChaoticKubernetes kube, TwilioEmulator emulator, KillableOperator operator) {
      this.kube = kube;
      this.emulator = emulator;
      this.operator = operator;
    }

    /** Rotates while incarnation {@code incarnation} runs. */
    void rotate(int incarnation) {
      rotatedIn = incarnation;
      unauthorizedBefore = unauthorized(emulator);
      emulator.addAccount(ACCOUNT_B, ROTATED_TOKEN_B);
      Secret updated =
          kube.driver().resource(credentials(NS_B, SECRET_B, ACCOUNT_B, ROTATED_TOKEN_B)).update();
      rotatedAt = System.nanoTime();
      version = updated.getMetadata().getResourceVersion();
      unauthorizedSeen = unauthorizedBefore;
      System.out.printf(
          "chaos: account B's token rotated at %s (Secret version %s)%n",
          java.time.Instant.now(), version);
    }

    /** Whether the account shows the rotated Secret; the 401s are counted the first time. */
    synchronized boolean shown() {
      if (version == null) {
        return false;
      }
      if (unauthorizedWhenShown >= 0) {
        return true;
      }
      long now = unauthorized(emulator);
      if (now > unauthorizedSeen) {
        unauthorizedSeen = now;
        lastUnauthorizedAfterMillis = (System.nanoTime() - rotatedAt) / 1_000_000;
      }
      TwilioAccount account =
          kube.driver().resources(TwilioAccount.class).inNamespace(NS_B).withName("default").get();
      if (account == null
          || account.getStatus() == null
          || !version.equals(account.getStatus().getCredentialsVersion())) {
        return false;
      }
      unauthorizedWhenShown = unauthorized(emulator);
      shownBy = operator.incarnations();
      shownAfterMillis = (System.nanoTime() - rotatedAt) / 1_000_000;
      return true;
    }

    String version() {
      return version;
    }

    long unauthorizedBefore() {
      return unauthorizedBefore;
    }

    long unauthorizedWhenShown() {
      return unauthorizedWhenShown;
    }

    String summary(long unauthorizedAtTheEnd) {
      return ("account B's token rotated (Secret version %s) while incarnation %d ran, shown in"
              + " its status %d ms later (%s); 401s: %d before, %d in between (the last seen %d ms"
              + " after the rotation), %d after")
          .formatted(
              version,
              rotatedIn,
              shownAfterMillis,
              shownBy == rotatedIn
                  ? "in place, by the same incarnation"
                  : "by incarnation " + shownBy + ", after " + (shownBy - rotatedIn) + " restarts",
              unauthorizedBefore,
              unauthorizedWhenShown - unauthorizedBefore,
              lastUnauthorizedAfterMillis,
              unauthorizedAtTheEnd - unauthorizedWhenShown);
    }
  }

  /** Requests Twilio answered 401, whatever their path (the emulator's own counters). */
  static long unauthorized(TwilioEmulator emulator) {
    try {
      var response =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(emulator.baseUrl() + "/_emulator/counters"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      long count = 0;
      for (var row : new ObjectMapper().readTree(response.body()).path("requests")) {
        if (row.path("status").asInt() == 401) {
          count += row.path("count").asLong();
        }
      }
      return count;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
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
      List<Side> sides, TwilioEmulator emulator, IpRecordAnswers answers, int armedKills) {
    return sides.stream()
            .map(
                side -> {
                  long seeded =
                      emulator.ipRecords(side.accountSid()).stream()
                          .filter(r -> side.workload().seededIpRecords().contains(r.sid()))
                          .count();
                  int held = emulator.ipRecordCount(side.accountSid());
                  return "%d at Twilio (%d seeded for mappings by SID, %d of IpRecords)"
                          .formatted(held, seeded, held - seeded)
                      + (sides.size() > 1 ? " in " + side.label() : "");
                })
            .collect(Collectors.joining(", "))
        + ", %d created by the".formatted(answers.created())
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

  /**
   * Everything that differs from the settled state each side's workload asked for, in its namespace
   * and its account, each problem prefixed with the namespace.
   */
  static List<String> violations(
      List<Side> sides, TwilioEmulator emulator, ChaoticKubernetes kube) {
    List<String> problems = new ArrayList<>();
    for (Side side : sides) {
      violations(side, emulator, kube).forEach(p -> problems.add(side.namespace() + "/" + p));
    }
    return problems;
  }

  /** Everything that differs from the settled state the workload asked for. */
  static List<String> violations(Side side, TwilioEmulator emulator, ChaoticKubernetes kube) {
    Workload workload = side.workload();
    List<String> problems = new ArrayList<>();
    Map<String, List<StoredSourceIpMapping>> twilio =
        emulator.sourceIpMappings(side.accountSid()).stream()
            .collect(Collectors.groupingBy(StoredSourceIpMapping::ipRecordSid));
    Map<String, SourceIpMapping> kubernetes =
        kube
            .driver()
            .resources(SourceIpMapping.class)
            .inNamespace(side.namespace())
            .list()
            .getItems()
            .stream()
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
              } else if (!side.accountSid().equals(status.getAccountSid())) {
                problems.add(
                    name
                        + ": status.accountSid "
                        + status.getAccountSid()
                        + ", its namespace's account is "
                        + side.accountSid());
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
    known.addAll(pairViolations(side, emulator, kube, twilio, kubernetes, problems));
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
      Side side,
      TwilioEmulator emulator,
      ChaoticKubernetes kube,
      Map<String, List<StoredSourceIpMapping>> twilio,
      Map<String, SourceIpMapping> mappings,
      List<String> problems) {
    Workload workload = side.workload();
    Map<String, List<StoredIpRecord>> byAddress =
        emulator.ipRecords(side.accountSid()).stream()
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
        kube
            .driver()
            .resources(IpRecord.class)
            .inNamespace(side.namespace())
            .list()
            .getItems()
            .stream()
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
                if (!side.accountSid().equals(ipRecord.getStatus().getAccountSid())) {
                  problems.add(
                      name
                          + ": status.accountSid "
                          + ipRecord.getStatus().getAccountSid()
                          + ", its namespace's account is "
                          + side.accountSid());
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
              if (!side.accountSid().equals(status.getAccountSid())) {
                problems.add(
                    pair.mapping()
                        + ": status.accountSid "
                        + status.getAccountSid()
                        + ", its namespace's account is "
                        + side.accountSid());
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
    emulator.ipRecords(side.accountSid()).stream()
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

  /**
   * Every Event and resource as the API server holds them, and Twilio's mappings and IP records, as
   * files, each named after its side's namespace (e.g. {@code chaos-a-events.json}).
   */
  private static void dump(
      ChaoticKubernetes kube, TwilioEmulator emulator, Path logs, List<Side> sides)
      throws java.io.IOException {
    var json = kube.driver().getKubernetesSerialization();
    for (Side side : sides) {
      String ns = side.namespace();
      java.nio.file.Files.writeString(
          logs.resolve(ns + "-events.json"),
          json.asJson(kube.driver().v1().events().inNamespace(ns).list()));
      java.nio.file.Files.writeString(
          logs.resolve(ns + "-resources.json"),
          json.asJson(kube.driver().resources(SourceIpMapping.class).inNamespace(ns).list()));
      java.nio.file.Files.writeString(
          logs.resolve(ns + "-twilio.json"),
          json.asJson(emulator.sourceIpMappings(side.accountSid())));
      java.nio.file.Files.writeString(
          logs.resolve(ns + "-iprecords.json"),
          json.asJson(kube.driver().resources(IpRecord.class).inNamespace(ns).list()));
      java.nio.file.Files.writeString(
          logs.resolve(ns + "-twilio-iprecords.json"),
          json.asJson(emulator.ipRecords(side.accountSid())));
    }
    java.nio.file.Files.writeString(
        logs.resolve("twilioaccounts.json"),
        json.asJson(kube.driver().resources(TwilioAccount.class).inAnyNamespace().list()));
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
