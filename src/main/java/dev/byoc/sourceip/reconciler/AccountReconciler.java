package dev.byoc.sourceip.reconciler;

import static dev.byoc.sourceip.api.v1alpha1.Reasons.*;

import dev.byoc.sourceip.account.Account;
import dev.byoc.sourceip.account.AccountDirectory;
import dev.byoc.sourceip.account.AccountInformers;
import dev.byoc.sourceip.account.AccountKey;
import dev.byoc.sourceip.account.AccountSettings;
import dev.byoc.sourceip.account.Claims;
import dev.byoc.sourceip.account.SecretCredentials;
import dev.byoc.sourceip.api.v1alpha1.AccountLimits;
import dev.byoc.sourceip.api.v1alpha1.CredentialsSecretRef;
import dev.byoc.sourceip.api.v1alpha1.PruneMode;
import dev.byoc.sourceip.api.v1alpha1.PruneSpec;
import dev.byoc.sourceip.api.v1alpha1.TwilioAccountSpec;
import dev.byoc.sourceip.api.v1alpha1.TwilioAccountStatus;
import dev.byoc.sourceip.config.Durations;
import dev.byoc.sourceip.twilio.ErrorClass;
import dev.byoc.sourceip.twilio.TwilioException;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Connects an account object to Twilio: reads its credentials Secret (a changed Secret is used at
 * once, in place), lists the account (which fills its snapshot and proves the credentials), reports
 * what it holds and who uses it, prunes when asked, and keeps the account while resources use it.
 * One subclass per kind: where its Secret is and how it is keyed.
 */
abstract class AccountReconciler<
        A extends CustomResource<? extends TwilioAccountSpec, TwilioAccountStatus>>
    implements Reconciler<A>, Cleaner<A> {
  static final String SECRET_INDEX = "credentialsSecret";
  static final String SELF_INDEX = "self";

  /** A list that failed for a reason other than the credentials is tried again this soon. */
  static final Duration RETRY = Duration.ofSeconds(10);

  private final Class<A> type;
  private final AccountDirectory directory;
  private final AccountInformers informers;
  private final EventSink events;
  private final Duration defaultInterval;
  private final Clock clock;
  private final Pruner pruner;
  private final StatusWriter<A, TwilioAccountStatus> statusWriter;
  private final String partialView;
  private volatile InformerEventSource<Secret, A> secrets;

  AccountReconciler(
      Class<A> type,
      AccountDirectory directory,
      AccountInformers informers,
      EventSink events,
      Duration defaultInterval,
      Clock clock,
      String partialView) {
    this.type = type;
    this.partialView = partialView;
    this.directory = directory;
    this.informers = informers;
    this.events = events;
    this.defaultInterval = defaultInterval;
    this.clock = clock;
    this.pruner = new Pruner(clock);
    this.statusWriter = StatusWriter.kubernetes();
  }

  /** The directory key of the account object. */
  abstract AccountKey key(A account);

  /** The namespace of the account's credentials Secret. */
  abstract String secretNamespace(A account);

  /** Where the Secrets are watched (only those with the credentials label). */
  abstract InformerEventSourceConfiguration.Builder<Secret> secretScope(
      InformerEventSourceConfiguration.Builder<Secret> builder);

  @Override
  public List<EventSource<?, A>> prepareEventSources(EventSourceContext<A> context) {
    IndexerResourceCache<A> cache = context.getPrimaryCache();
    cache.addIndexers(
        Map.of(
            SECRET_INDEX,
            a -> secretKey(a).stream().toList(),
            SELF_INDEX,
            a -> List.of(key(a).index())));
    secrets =
        new InformerEventSource<>(
            secretScope(
                    InformerEventSourceConfiguration.from(Secret.class, type)
                        .withName("credentials-secrets")
                        .withLabelSelector(CredentialsSecretRef.LABEL + "=true")
                        .withSecondaryToPrimaryMapper(
                            (Secret s) ->
                                cache
                                    .byIndex(
                                        SECRET_INDEX,
                                        s.getMetadata().getNamespace()
                                            + "/"
                                            + s.getMetadata().getName())
                                    .stream()
                                    .map(ResourceID::fromResource)
                                    .collect(Collectors.toSet())))
                .build(),
            context);
    // a resource that starts or stops using the account (or whose claims change) wakes it
    SnapshotEventSource<A> users = new SnapshotEventSource<>("account-users", cache);
    users.wakeOn(informers::addUserListener, SELF_INDEX);
    return List.of(secrets, users);
  }

  private Optional<String> secretKey(A account) {
    CredentialsSecretRef ref =
        account.getSpec() == null ? null : account.getSpec().getCredentialsSecretRef();
    return ref == null || ref.getName() == null
        ? Optional.empty()
        : Optional.of(secretNamespace(account) + "/" + ref.getName());
  }

  // ---- reconcile ----------------------------------------------------------------------------

  /** Its status is written whole ({@link StatusWriter}), never as JOSDK's diff of the cache. */
  @Override
  public UpdateControl<A> reconcile(A account, Context<A> context) {
    return statusWriter.answer(context, reconcileAccount(account, context));
  }

  private UpdateControl<A> reconcileAccount(A account, Context<A> context) {
    AccountKey key = key(account);
    AccountStatusBuilder status = new AccountStatusBuilder(account, clock.instant());
    status.usedBy(informers.users(key));
    TwilioAccountSpec spec = account.getSpec();
    if (spec == null || spec.getCredentialsSecretRef() == null) {
      String message = "spec.credentialsSecretRef is required";
      directory.unusable(key, message);
      status.failed(INVALID_SPEC, message);
      return finishWithEvent(account, status, INVALID_SPEC, message, null);
    }
    Duration interval;
    Duration grace;
    try {
      interval =
          spec.getResyncInterval() == null
              ? defaultInterval
              : Durations.parse(spec.getResyncInterval());
      grace =
          Durations.parse(
              spec.getPrune() == null || spec.getPrune().getGracePeriod() == null
                  ? PruneSpec.DEFAULT_GRACE_PERIOD
                  : spec.getPrune().getGracePeriod());
    } catch (IllegalArgumentException e) {
      String message = "spec.resyncInterval or spec.prune.gracePeriod: " + e.getMessage();
      status.failed(INVALID_SPEC, message);
      return finishWithEvent(account, status, INVALID_SPEC, message, null);
    }
    String secretName = secretNamespace(account) + "/" + spec.getCredentialsSecretRef().getName();
    Optional<Secret> secret =
        Optional.ofNullable(secrets)
            .flatMap(
                s ->
                    s.get(
                        new ResourceID(
                            spec.getCredentialsSecretRef().getName(), secretNamespace(account))));
    if (secret.isEmpty()) {
      return unusable(
          account,
          key,
          status,
          "Secret "
              + secretName
              + " not found, or it lacks the label "
              + CredentialsSecretRef.LABEL
              + ": \"true\" (the operator reads no other Secret)");
    }
    SecretCredentials.Read read =
        SecretCredentials.read(secret.get(), spec.getCredentialsSecretRef());
    if (read instanceof SecretCredentials.Unusable u) {
      return unusable(account, key, status, u.problem());
    }
    AccountLimits limits = spec.getLimits();
    AccountSettings settings =
        new AccountSettings(
            ((SecretCredentials.Usable) read).credentials(),
            secret.get().getMetadata().getResourceVersion(),
            spec.getRegion(),
            spec.getEdge(),
            limits == null ? null : limits.getMaxConcurrentRequests(),
            limits == null ? null : limits.getRequestsPerSecond());
    AccountDirectory.Connected connected;
    try {
      connected = directory.connect(key, settings);
    } catch (RuntimeException e) {
      // e.g. a region or edge the endpoints refuse
      String message = "cannot connect: " + e.getMessage();
      directory.unusable(key, message);
      status.failed(INVALID_SPEC, message);
      return finishWithEvent(account, status, INVALID_SPEC, message, null);
    }
    Account twilio = connected.account();
    status.account(twilio.accountSid()).credentialsVersion(settings.credentialsVersion());
    PruneMode mode = spec.getPrune() == null ? PruneMode.Off : spec.getPrune().effectiveMode();
    Instant now = clock.instant();
    try {
      // the account's IP records are counted in its status (and pruning needs them)
      twilio.snapshot().ensureIpRecordsLoaded();
      // new credentials are proved by a list at once; else the list is at most half an
      // interval old
      twilio
          .snapshot()
          .refreshIfOlderThan(
              connected.credentialsChanged() ? now : now.minus(interval.dividedBy(2)));
    } catch (TwilioException e) {
      boolean credentials = e.errorClass() == ErrorClass.CREDENTIALS;
      String reason =
          credentials
              ? CREDENTIALS_INVALID
              : e.errorClass() == ErrorClass.TERMINAL ? TWILIO_REJECTED : TWILIO_UNAVAILABLE;
      String message =
          (credentials
                  ? "Twilio refused the credentials of Secret "
                      + secretName
                      + " (resourceVersion "
                      + settings.credentialsVersion()
                      + "): "
                  : "listing the account failed: ")
              + e.getMessage();
      status.failed(reason, message);
      return finishWithEvent(
          account,
          status,
          reason,
          message,
          credentials ? TwilioResourceReconciler.CREDENTIALS_RETRY : RETRY);
    }
    Claims claims = Claims.of(informers.mappings(), informers.ipRecords());
    Claims.Unclaimed unclaimed =
        claims.unclaimed(twilio.snapshot().mappings(), twilio.snapshot().ipRecords());
    boolean ipRecordsListed = twilio.snapshot().ipRecordsInUse();
    status.inventory(
        Times.text(twilio.snapshot().listedAt().orElse(null)),
        new AccountStatusBuilder.Inventory(
            twilio.snapshot().size(),
            unclaimed.claimedMappings(),
            ipRecordsListed ? twilio.snapshot().ipRecords().size() : null,
            ipRecordsListed ? unclaimed.claimedIpRecords() : null));
    Pruner.Round round;
    try {
      round =
          pruner.round(
              key,
              account,
              twilio,
              new Pruner.Rules(
                  mode,
                  grace,
                  spec.getPrune() == null
                      ? PruneSpec.DEFAULT_MAX_DELETE_PERCENT
                      : spec.getPrune().effectiveMaxDeletePercent(),
                  interval,
                  partialView),
              () -> Claims.of(informers.mappings(), informers.ipRecords()),
              events);
    } catch (TwilioException e) {
      String message = "pruning failed: " + e.getMessage();
      status
          .ready(true, AVAILABLE, readyMessage(twilio))
          .synced(false, TWILIO_UNAVAILABLE, message);
      return finishWithEvent(account, status, TWILIO_UNAVAILABLE, message, RETRY);
    }
    status.unclaimed(round.unclaimed());
    status.ready(true, AVAILABLE, readyMessage(twilio)).synced(true, RECONCILE_SUCCESS, "");
    // unclaimed objects waiting out their grace period are looked at again when it ends; held
    // ones (share spent, list stale) only at the next interval, not with a Warning every grace
    Duration next =
        mode == PruneMode.Delete
                && round.held() == null
                && !round.unclaimed().isEmpty()
                && grace.compareTo(interval) < 0
            ? grace
            : interval;
    return finish(account, status, next);
  }

  private static String readyMessage(Account twilio) {
    return "Twilio accepted the credentials of account "
        + twilio.accountSid()
        + "; "
        + twilio.snapshot().size()
        + " mapping(s) listed";
  }

  private UpdateControl<A> unusable(
      A account, AccountKey key, AccountStatusBuilder status, String problem) {
    directory.unusable(key, problem);
    String message =
        directory.isConnected(key)
            ? problem + "; the credentials read before stay in use until this is fixed"
            : problem;
    status.failed(CREDENTIALS_INVALID, message);
    // the Secret's informer wakes the account when the Secret appears or changes
    return finishWithEvent(account, status, CREDENTIALS_INVALID, message, null);
  }

  private UpdateControl<A> finishWithEvent(
      A account, AccountStatusBuilder status, String reason, String message, Duration next) {
    if (status.changed()) {
      events.warning(account, reason, message);
    }
    return finish(account, status, next);
  }

  private UpdateControl<A> finish(A account, AccountStatusBuilder status, Duration next) {
    return status.finish(account, next);
  }

  // ---- cleanup ------------------------------------------------------------------------------

  /**
   * An account in use stays (and so do its credentials, in the operator's memory), with a condition
   * naming its users, until the last of them is gone, as Crossplane's ProviderConfigUsage keeps a
   * ProviderConfig.
   */
  @Override
  public DeleteControl cleanup(A account, Context<A> context) {
    AccountKey key = key(account);
    List<String> users = informers.users(key);
    if (!users.isEmpty()) {
      AccountStatusBuilder status = new AccountStatusBuilder(account, clock.instant());
      status.usedBy(users);
      String message =
          "deletion waits for the "
              + users.size()
              + " resource(s) that use this account: "
              + String.join(", ", users.subList(0, Math.min(users.size(), 10)))
              + (users.size() > 10 ? ", ..." : "");
      status.ready(false, DELETING, message).synced(false, DELETING, message);
      if (status.changed()) {
        events.warning(account, DELETING, message);
        TwilioAccountStatus next = status.build();
        statusWriter.write(context, account, next);
        account.setStatus(next);
      }
      return DeleteControl.noFinalizerRemoval();
    }
    pruner.forget(key);
    directory.disconnect(key);
    return DeleteControl.defaultDelete();
  }
}
