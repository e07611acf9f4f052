package dev.byoc.sourceip.reconciler;

import static dev.byoc.sourceip.api.v1alpha1.Reasons.*;

import dev.byoc.sourceip.account.Account;
import dev.byoc.sourceip.account.AccountSnapshot;
import dev.byoc.sourceip.account.AccountUnavailableException;
import dev.byoc.sourceip.account.TwilioAccounts;
import dev.byoc.sourceip.api.v1alpha1.AccountReference;
import dev.byoc.sourceip.api.v1alpha1.EventReasons;
import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.IpRecordSpec;
import dev.byoc.sourceip.api.v1alpha1.IpRecordStatus;
import dev.byoc.sourceip.api.v1alpha1.ManagementPolicy;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.metrics.OperatorMetrics;
import dev.byoc.sourceip.twilio.TwilioException;
import dev.byoc.sourceip.twilio.TwilioIpRecord;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Makes Twilio hold the IP record each IpRecord asks for: observe (in the account snapshot, by
 * address and prefix), then create, adopt, rename or delete, then report in status and Events. An
 * IpRecord that a SourceIpMapping still uses keeps its finalizer, and its Twilio record, until no
 * mapping uses it.
 */
public final class IpRecordReconciler
    extends TwilioResourceReconciler<IpRecord, IpRecordStatus, IpRecordStatusBuilder> {
  static final String ADDRESS_INDEX = "spec.ipAddress";
  static final String USER_INDEX = "ipRecord";
  private static final String KIND = HasMetadata.getKind(IpRecord.class);

  private final IpRecordActuator actuator;
  private final OperatorMetrics metrics;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private volatile IndexerResourceCache<IpRecord> cache;
  private volatile Function<String, List<IpRecord>> resourcesAt = key -> List.of();
  private volatile Function<IpRecord, List<SourceIpMapping>> users = r -> List.of();

  public IpRecordReconciler(
      TwilioAccounts accounts,
      EventSink events,
      Duration resyncInterval,
      Clock clock,
      OperatorMetrics metrics) {
    this(accounts, events, resyncInterval, clock, metrics, StatusWriter.kubernetes());
  }

  /** With status writes going to {@code statusWriter} (tests without a server). */
  IpRecordReconciler(
      TwilioAccounts accounts,
      EventSink events,
      Duration resyncInterval,
      Clock clock,
      OperatorMetrics metrics,
      StatusWriter<IpRecord, IpRecordStatus> statusWriter) {
    super(accounts, events, resyncInterval, clock, statusWriter);
    this.actuator = new IpRecordActuator(clock);
    this.metrics = metrics;
    metrics.watchResources(
        KIND,
        READY,
        () -> ResourceCensus.of(cache == null ? List.of() : cache.list().toList(), accounts));
  }

  @Override
  public List<EventSource<?, IpRecord>> prepareEventSources(EventSourceContext<IpRecord> context) {
    IndexerResourceCache<IpRecord> cache = context.getPrimaryCache();
    this.cache = cache;
    cache.addIndexers(
        Map.of(
            ADDRESS_INDEX,
            r ->
                Stream.of(
                        r.getSpec() == null || r.getSpec().getIpAddress() == null
                            ? null
                            : key(r.getSpec()),
                        r.getStatus() == null ? null : r.getStatus().getSid())
                    .filter(Objects::nonNull)
                    .distinct()
                    .toList(),
            ACCOUNT_INDEX,
            r -> List.of(requestedAccount(r))));
    resourcesAt = key -> cache.byIndex(ADDRESS_INDEX, key);
    SnapshotEventSource<IpRecord> wakeups = new SnapshotEventSource<>("twilio-snapshot", cache);
    accounts.addAccountListener(
        account -> wakeups.wakeOn(account.snapshot()::addIpRecordListener, ADDRESS_INDEX));
    // an account connected, refused or gone wakes the resources asking for it
    wakeups.wakeOn(accounts::addChangeListener, ACCOUNT_INDEX);
    // a mapping that starts or stops using an IpRecord wakes it: a deletion waiting for its
    // last user goes on when that user is gone, and status.usedBy stays current
    InformerEventSource<SourceIpMapping, IpRecord> mappings =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(SourceIpMapping.class, IpRecord.class)
                .withName("sourceipmappings")
                .withSecondaryToPrimaryMapper(
                    (SourceIpMapping m) ->
                        Stream.concat(
                                Stream.ofNullable(MappingReferences.ipRecordRefKey(m)),
                                sidsOf(m).stream()
                                    .flatMap(sid -> cache.byIndex(ADDRESS_INDEX, sid).stream())
                                    .map(ip -> namespaced(ip)))
                            .map(IpRecordReconciler::resourceId)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    mappings.addIndexers(
        Map.of(
            USER_INDEX,
            m ->
                Stream.concat(
                        Stream.ofNullable(MappingReferences.ipRecordRefKey(m)), sidsOf(m).stream())
                    .toList()));
    users =
        ip ->
            Stream.concat(
                    mappings.byIndex(USER_INDEX, namespaced(ip)).stream(),
                    ip.getStatus() == null || ip.getStatus().getSid() == null
                        ? Stream.empty()
                        : mappings.byIndex(USER_INDEX, ip.getStatus().getSid()).stream())
                .distinct()
                .toList();
    return List.of(wakeups, mappings);
  }

  /** Where the reconciler finds IpRecords by address key or SID (tests without a cache). */
  void resourcesAt(Function<String, List<IpRecord>> byKey) {
    resourcesAt = byKey;
  }

  /** Where the reconciler finds the mappings that use an IpRecord (tests without an informer). */
  void usersFrom(Function<IpRecord, List<SourceIpMapping>> usersOf) {
    users = usersOf;
  }

  @Override
  protected AccountReference accountRef(IpRecord resource) {
    return resource.getSpec() == null ? null : resource.getSpec().getAccountRef();
  }

  @Override
  protected IpRecordStatusBuilder newStatus(IpRecord resource) {
    return new IpRecordStatusBuilder(resource, clock.instant());
  }

  // ---- reconcile ----------------------------------------------------------------------------

  @Override
  protected UpdateControl<IpRecord> reconcileResource(
      IpRecord resource, Context<IpRecord> context) {
    IpRecordStatusBuilder status = newStatus(resource).usedBy(userNames(resource));
    List<String> problems = IpRecordSpecValidator.problems(resource);
    if (!problems.isEmpty()) {
      String message = String.join("; ", problems);
      status.failed(INVALID_SPEC, message);
      return finishWithEvent(resource, status, INVALID_SPEC, message, null);
    }
    IpRecordSpec spec = resource.getSpec();
    IpRecordStatus recorded = resource.getStatus();
    if (recorded != null
        && recorded.getSid() != null
        && recorded.getIpAddress() != null
        && !key(spec).equals(key(recorded.getIpAddress(), recorded.getCidrPrefixLength()))) {
      // the CRD refuses this change; a server that did not enforce it gets a clear condition
      String message =
          "ipAddress and cidrPrefixLength are immutable: this resource manages IP record "
              + recorded.getSid()
              + " for "
              + key(recorded.getIpAddress(), recorded.getCidrPrefixLength())
              + ", the spec now asks for "
              + key(spec)
              + ". Set them back, or create a new IpRecord";
      status.failed(INVALID_SPEC, message);
      return finishWithEvent(resource, status, INVALID_SPEC, message, null);
    }
    Duration interval = resyncInterval(resource);
    Account account;
    try {
      account = accountOf(resource, status);
      account.snapshot().ensureIpRecordsLoaded();
      if (hasResyncAnnotation(resource)) {
        account.snapshot().ensureFresherThan(interval);
      }
    } catch (AccountUnavailableException e) {
      return accountUnavailable(resource, status, e);
    } catch (TwilioException e) {
      return handled(resource, status, e, "listing IP records");
    }
    synchronized (lockFor(account, spec)) {
      try {
        return converge(resource, account, status, interval);
      } catch (TwilioException e) {
        return handled(resource, status, e, "reconciling");
      }
    }
  }

  private UpdateControl<IpRecord> converge(
      IpRecord resource, Account account, IpRecordStatusBuilder status, Duration interval) {
    IpRecordSpec spec = resource.getSpec();
    String address = spec.getIpAddress();
    int prefix = spec.effectiveCidrPrefixLength();
    Optional<TwilioIpRecord> observed = actuator.observe(account, address, prefix);

    String external = annotation(resource, IpRecord.EXTERNAL_SID_ANNOTATION);
    String staleAnnotation = null;
    if (external != null) {
      boolean adopted = external.equals(adoptedExternalSid(resource));
      Optional<TwilioIpRecord> named =
          adopted && !external.equals(statusSid(resource))
              ? Optional.empty()
              : actuator.observeSid(account, external);
      if (named.isEmpty() && adopted) {
        staleAnnotation = external; // adopted earlier: Twilio lost it since, repaired below
      } else if (named.isEmpty()) {
        String message =
            "Twilio holds no IP record "
                + external
                + " (annotation "
                + IpRecord.EXTERNAL_SID_ANNOTATION
                + ")";
        status.observed(observed.orElse(null)).failed(REFERENCE_NOT_READY, message);
        return finishWithEvent(resource, status, REFERENCE_NOT_READY, message, interval);
      } else if (!key(named.get()).equals(key(spec))) {
        String message =
            "annotation "
                + IpRecord.EXTERNAL_SID_ANNOTATION
                + " names "
                + external
                + ", which is IP record "
                + key(named.get())
                + ", but the spec asks for "
                + key(spec);
        status.failed(INVALID_SPEC, message);
        return finishWithEvent(resource, status, INVALID_SPEC, message, null);
      } else {
        observed = named;
        status.adoptedExternal(external);
      }
    }

    if (spec.effectiveManagementPolicy() == ManagementPolicy.Observe) {
      return observeOnly(resource, status, observed.orElse(null), OBSERVING, interval);
    }
    Optional<IpRecord> owner =
        ownerOf(resource, account, observed.map(TwilioIpRecord::sid).orElse(null));
    if (owner.isPresent() && !sameResource(owner.get(), resource)) {
      String message =
          "IP record "
              + key(spec)
              + " is already managed by IpRecord "
              + describe(owner.get())
              + " in this account; this resource will not write to Twilio";
      status.observed(null).failed(CONFLICT, message);
      return finishWithEvent(resource, status, CONFLICT, message, null);
    }
    if (isPaused(resource)) {
      return observeOnly(resource, status, observed.orElse(null), PAUSED, interval);
    }

    String name = spec.getFriendlyName();
    TwilioIpRecord current;
    IpRecordStatus recorded = resource.getStatus();
    if (observed.isEmpty()) {
      current = report(resource, actuator.create(account, address, prefix, name));
      if (recorded != null
          && recorded.getSid() != null
          && !current.sid().equals(recorded.getSid())) {
        metrics.driftRepaired(KIND, OperatorMetrics.DriftRepair.RECREATED);
      }
      if (staleAnnotation != null) {
        staleAnnotation(resource, "IP record", staleAnnotation, current.sid());
      }
    } else if (name != null && !name.equals(observed.get().friendlyName())) {
      current = report(resource, actuator.rename(account, observed.get(), name));
      if (recorded != null
          && observed.get().sid().equals(recorded.getSid())
          && name.equals(recorded.getFriendlyName())) {
        metrics.driftRepaired(KIND, OperatorMetrics.DriftRepair.SET_BACK);
      }
    } else {
      current = observed.get();
      if (!current.sid().equals(statusSid(resource))) {
        events.normal(
            resource,
            EventReasons.ADOPTED,
            "Adopted existing Twilio IP record " + current.sid() + " for " + key(current));
      }
    }
    status
        .observed(current)
        .ready(true, AVAILABLE, "Twilio holds IP record " + key(current) + " as " + current.sid())
        .synced(true, RECONCILE_SUCCESS, "");
    return finish(resource, status, ownReschedule(resource, interval));
  }

  private TwilioIpRecord report(IpRecord resource, Applied<TwilioIpRecord> applied) {
    for (Applied.Step<TwilioIpRecord> step : applied.steps()) {
      var r = step.object();
      switch (step.action()) {
        case CREATED ->
            events.normal(
                resource,
                EventReasons.CREATED,
                "Created Twilio IP record " + r.sid() + " for " + key(r));
        case FOUND ->
            events.normal(
                resource,
                EventReasons.ADOPTED,
                "Found Twilio IP record "
                    + r.sid()
                    + " for "
                    + key(r)
                    + " after an inconclusive create; adopted it");
        case UPDATED ->
            events.normal(
                resource,
                EventReasons.UPDATED,
                "Renamed Twilio IP record "
                    + r.sid()
                    + " from '"
                    + step.before().friendlyName()
                    + "' to '"
                    + r.friendlyName()
                    + "'");
      }
    }
    return applied.result();
  }

  private UpdateControl<IpRecord> observeOnly(
      IpRecord resource,
      IpRecordStatusBuilder status,
      TwilioIpRecord observed,
      String reason,
      Duration interval) {
    String mode = observeMode(reason);
    String name = resource.getSpec().getFriendlyName();
    status.observed(observed);
    if (observed == null) {
      status.failed(
          reason, "Twilio holds no IP record for " + key(resource.getSpec()) + " (" + mode + ")");
    } else if (name != null && !name.equals(observed.friendlyName())) {
      String message =
          "Twilio names IP record "
              + observed.sid()
              + " '"
              + observed.friendlyName()
              + "', spec wants '"
              + name
              + "' ("
              + mode
              + ")";
      status.failed(reason, message);
    } else {
      status
          .ready(
              true, AVAILABLE, "Twilio holds IP record " + key(observed) + " as " + observed.sid())
          .synced(reason.equals(OBSERVING), reason, mode);
    }
    return finish(resource, status, ownReschedule(resource, interval));
  }

  // ---- cleanup ------------------------------------------------------------------------------

  @Override
  protected DeleteControl cleanupResource(IpRecord resource, Context<IpRecord> context) {
    IpRecordSpec spec = resource.getSpec();
    if (orphans(
        resource,
        spec == null ? null : spec.effectiveDeletionPolicy(),
        spec == null ? null : spec.effectiveManagementPolicy(),
        "IP record")) {
      return DeleteControl.defaultDelete();
    }
    List<String> usedBy = userNames(resource);
    IpRecordStatusBuilder status = newStatus(resource).usedBy(usedBy);
    if (isPaused(resource)) {
      return pausedDeletion(context, resource, status);
    }
    if (!usedBy.isEmpty()) {
      String message =
          "deletion waits until no SourceIpMapping uses this IP record: "
              + String.join(", ", usedBy);
      status.ready(false, DELETING, message);
      return deletionWaits(context, resource, status, DELETING, message, false);
    }
    try {
      Account account = accountForCleanup(resource, status);
      account.snapshot().ensureIpRecordsLoaded();
      boolean readable = IpRecordSpecValidator.problems(resource).isEmpty();
      Set<String> held = new LinkedHashSet<>();
      if (statusSid(resource) != null) {
        held.add(statusSid(resource));
      }
      if (readable) {
        // a lost create must not be left behind
        actuator
            .observeSettled(account, spec.getIpAddress(), spec.effectiveCidrPrefixLength())
            .map(TwilioIpRecord::sid)
            .ifPresent(held::add);
        held.removeIf(
            sid -> {
              Optional<IpRecord> owner = ownerOf(resource, account, sid);
              return owner.isPresent() && !sameResource(owner.get(), resource);
            });
      }
      if (held.isEmpty()) {
        return DeleteControl.defaultDelete();
      }
      if (!spec.getUnreadable().isEmpty()) {
        // an unreadable field may be the policy the user meant: never delete on a guess
        return deletionWaits(
            context,
            resource,
            status,
            INVALID_SPEC,
            "deletion of Twilio IP record "
                + String.join(", ", held)
                + " waits: "
                + String.join("; ", IpRecordSpecValidator.problems(resource))
                + ". Fix the spec, or set deletionPolicy: Orphan to leave it at Twilio",
            true);
      }
      for (String sid : held) {
        actuator.delete(account, sid);
        events.normal(resource, EventReasons.DELETED, "Deleted Twilio IP record " + sid);
      }
      return DeleteControl.defaultDelete();
    } catch (AccountUnavailableException | TwilioException e) {
      return cleanupFailed(context, resource, status, e);
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** The namespace/name of the mappings using this IpRecord, sorted. */
  private List<String> userNames(IpRecord resource) {
    return users.apply(resource).stream()
        .map(TwilioResourceReconciler::describe)
        .collect(Collectors.toCollection(TreeSet::new))
        .stream()
        .toList();
  }

  /** Which IpRecord manages the IP record of this address and prefix in the account. */
  private Optional<IpRecord> ownerOf(IpRecord resource, Account account, String twilioSid) {
    String key = key(resource.getSpec());
    List<IpRecord> claimants =
        Stream.concat(
                resourcesAt.apply(key).stream()
                    .filter(r -> !sameResource(r, resource))
                    .filter(r -> !r.isMarkedForDeletion())
                    .filter(r -> r.getSpec() != null && r.getSpec().getIpAddress() != null)
                    .filter(r -> key.equals(key(r.getSpec())))
                    .filter(r -> r.getSpec().effectiveManagementPolicy() == ManagementPolicy.Manage)
                    .filter(r -> sameAccount(r, account)),
                Stream.of(resource))
            .toList();
    return ClaimResolver.owner(claimants, twilioSid);
  }

  private Object lockFor(Account account, IpRecordSpec spec) {
    return locks.computeIfAbsent(account.accountSid() + "/" + key(spec), k -> new Object());
  }

  private static Set<String> sidsOf(SourceIpMapping m) {
    Set<String> sids = new LinkedHashSet<>();
    if (m.getSpec() != null && m.getSpec().getIpRecordSid() != null) {
      sids.add(m.getSpec().getIpRecordSid());
    }
    if (m.getStatus() != null && m.getStatus().getIpRecordSid() != null) {
      sids.add(m.getStatus().getIpRecordSid());
    }
    return sids;
  }

  private static String namespaced(HasMetadata r) {
    return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
  }

  private static ResourceID resourceId(String namespacedName) {
    int slash = namespacedName.indexOf('/');
    return new ResourceID(namespacedName.substring(slash + 1), namespacedName.substring(0, slash));
  }

  static String key(IpRecordSpec spec) {
    return AccountSnapshot.ipRecordKey(spec.getIpAddress(), spec.effectiveCidrPrefixLength());
  }

  static String key(String address, Integer prefix) {
    return AccountSnapshot.ipRecordKey(address, prefix);
  }

  static String key(TwilioIpRecord r) {
    return AccountSnapshot.ipRecordKey(r.ipAddress(), r.cidrPrefixLength());
  }
}
