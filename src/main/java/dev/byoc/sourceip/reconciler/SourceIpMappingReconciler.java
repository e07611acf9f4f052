package dev.byoc.sourceip.reconciler;

import static dev.byoc.sourceip.api.v1alpha1.Reasons.*;

import dev.byoc.sourceip.account.Account;
import dev.byoc.sourceip.account.AccountUnavailableException;
import dev.byoc.sourceip.account.TwilioAccounts;
import dev.byoc.sourceip.api.v1alpha1.AccountReference;
import dev.byoc.sourceip.api.v1alpha1.EventReasons;
import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.ManagementPolicy;
import dev.byoc.sourceip.api.v1alpha1.Reasons;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingStatus;
import dev.byoc.sourceip.metrics.OperatorMetrics;
import dev.byoc.sourceip.twilio.TwilioException;
import dev.byoc.sourceip.twilio.TwilioMapping;
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
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Makes Twilio hold the Source IP Mapping each resource asks for: observe (in the account
 * snapshot), then create, adopt, update, replace or delete, then report in status and Events.
 */
public final class SourceIpMappingReconciler
    extends TwilioResourceReconciler<SourceIpMapping, SourceIpMappingStatus, MappingStatusBuilder> {
  static final String IP_RECORD_INDEX = "spec.ipRecordSid";
  static final String IP_RECORD_REF_INDEX = "spec.ipRecordRef";
  static final String SIP_DOMAIN_NAME_INDEX = "spec.sipDomainName";
  private static final String IP_RECORD_SID_INDEX = "status.sid";
  private static final String KIND = HasMetadata.getKind(SourceIpMapping.class);

  private final SourceIpMappingActuator actuator;
  private final OperatorMetrics metrics;
  private final Map<String, Object> ipRecordLocks = new ConcurrentHashMap<>();
  private volatile IndexerResourceCache<SourceIpMapping> cache;
  private volatile Function<String, List<SourceIpMapping>> resourcesNaming = ip -> List.of();
  private volatile MappingReferences references = new MappingReferences(id -> Optional.empty());
  private volatile SnapshotEventSource<SourceIpMapping> wakeups;

  public SourceIpMappingReconciler(
      TwilioAccounts accounts,
      EventSink events,
      Duration resyncInterval,
      Clock clock,
      OperatorMetrics metrics) {
    this(accounts, events, resyncInterval, clock, metrics, StatusWriter.kubernetes());
  }

  /** With status writes going to {@code statusWriter} (tests without a server). */
  SourceIpMappingReconciler(
      TwilioAccounts accounts,
      EventSink events,
      Duration resyncInterval,
      Clock clock,
      OperatorMetrics metrics,
      StatusWriter<SourceIpMapping, SourceIpMappingStatus> statusWriter) {
    super(accounts, events, resyncInterval, clock, statusWriter);
    this.actuator = new SourceIpMappingActuator(clock);
    this.metrics = metrics;
    metrics.watchResources(
        KIND,
        Reasons.READY,
        () -> ResourceCensus.of(cache == null ? List.of() : cache.list().toList(), accounts));
  }

  @Override
  public List<EventSource<?, SourceIpMapping>> prepareEventSources(
      EventSourceContext<SourceIpMapping> context) {
    cache = context.getPrimaryCache();
    cache.addIndexers(
        Map.of(
            IP_RECORD_INDEX,
            r ->
                Stream.of(
                        r.getSpec() == null ? null : r.getSpec().getIpRecordSid(),
                        r.getStatus() == null ? null : r.getStatus().getIpRecordSid())
                    .filter(Objects::nonNull)
                    .distinct()
                    .toList(),
            IP_RECORD_REF_INDEX,
            r -> Optional.ofNullable(MappingReferences.ipRecordRefKey(r)).stream().toList(),
            SIP_DOMAIN_NAME_INDEX,
            r ->
                r.getSpec() == null || r.getSpec().getSipDomainName() == null
                    ? List.of()
                    : List.of(r.getSpec().getSipDomainName().toLowerCase(Locale.ROOT)),
            ACCOUNT_INDEX,
            r -> List.of(requestedAccount(r))));
    wakeups = new SnapshotEventSource<>("twilio-snapshot", cache);
    accounts.addAccountListener(
        account -> {
          wakeups.wakeOn(account.snapshot()::addListener, IP_RECORD_INDEX);
          wakeups.wakeOn(account.snapshot()::addSipDomainListener, SIP_DOMAIN_NAME_INDEX);
        });
    // an account connected, refused or gone wakes the resources asking for it
    wakeups.wakeOn(accounts::addChangeListener, ACCOUNT_INDEX);
    // an IpRecord a mapping names by ipRecordRef wakes it when it changes (e.g. becomes Ready)
    InformerEventSource<IpRecord, SourceIpMapping> ipRecordSource =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(IpRecord.class, SourceIpMapping.class)
                .withName("iprecords")
                .withSecondaryToPrimaryMapper(
                    (IpRecord ip) ->
                        cache
                            .byIndex(
                                IP_RECORD_REF_INDEX,
                                ip.getMetadata().getNamespace() + "/" + ip.getMetadata().getName())
                            .stream()
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    ipRecordSource.addIndexers(
        Map.of(
            IP_RECORD_SID_INDEX,
            ip ->
                ip.getStatus() == null || ip.getStatus().getSid() == null
                    ? List.of()
                    : List.of(ip.getStatus().getSid())));
    references = new MappingReferences(ipRecordSource::get);
    // the resources wanting an IP record: by its SID (in spec, or in status once resolved), and
    // by the name of an IpRecord holding it (before their first status names the SID)
    resourcesNaming =
        ip ->
            Stream.concat(
                    cache.byIndex(IP_RECORD_INDEX, ip).stream(),
                    ipRecordSource.byIndex(IP_RECORD_SID_INDEX, ip).stream()
                        .flatMap(
                            rec ->
                                cache
                                    .byIndex(
                                        IP_RECORD_REF_INDEX,
                                        rec.getMetadata().getNamespace()
                                            + "/"
                                            + rec.getMetadata().getName())
                                    .stream()))
                .distinct()
                .toList();
    return List.of(wakeups, ipRecordSource);
  }

  /** Where the reconciler finds IpRecords by namespace and name (tests without an informer). */
  void ipRecordsFrom(Function<ResourceID, Optional<IpRecord>> byId) {
    references = new MappingReferences(byId);
  }

  /** Where the reconciler finds the resources that name an IP record (tests without a cache). */
  void resourcesNaming(Function<String, List<SourceIpMapping>> byIpRecordSid) {
    resourcesNaming = byIpRecordSid;
  }

  // ---- reconcile ----------------------------------------------------------------------------

  @Override
  protected UpdateControl<SourceIpMapping> reconcileResource(
      SourceIpMapping resource, Context<SourceIpMapping> context) {
    MappingStatusBuilder status = new MappingStatusBuilder(resource, clock.instant());
    List<String> problems = SpecValidator.problems(resource);
    if (!problems.isEmpty()) {
      String message = String.join("; ", problems);
      status.failed(INVALID_SPEC, message);
      if (status.changed()) {
        events.warning(resource, INVALID_SPEC, message);
      }
      return finish(resource, status, null);
    }
    Duration interval = resyncInterval(resource);
    Account account;
    try {
      account = accountOf(resource, status);
      if (hasResyncAnnotation(resource)) {
        account.snapshot().ensureFresherThan(interval);
      } else {
        account.snapshot().ensureLoaded();
      }
    } catch (AccountUnavailableException e) {
      return accountUnavailable(resource, status, e);
    } catch (TwilioException e) {
      return handled(resource, status, e, "listing mappings");
    }
    MappingReferences.Wanted wanted;
    try {
      wanted = references.resolve(resource, account, status, events);
    } catch (TwilioException e) {
      return handled(resource, status, e, "listing SIP domains");
    }
    if (wanted == null) {
      return finish(resource, status, null); // waits: the status says for what
    }
    Object lock =
        ipRecordLocks.computeIfAbsent(
            account.accountSid() + "/" + wanted.ipRecordSid(), k -> new Object());
    synchronized (lock) {
      try {
        return converge(resource, wanted, account, status, interval);
      } catch (TwilioException e) {
        return handled(resource, status, e, "reconciling");
      }
    }
  }

  private UpdateControl<SourceIpMapping> converge(
      SourceIpMapping resource,
      MappingReferences.Wanted wanted,
      Account account,
      MappingStatusBuilder status,
      Duration interval) {
    Optional<TwilioMapping> observed = actuator.observe(account, wanted.ipRecordSid());

    String external = annotation(resource, SourceIpMapping.EXTERNAL_SID_ANNOTATION);
    String staleAnnotation = null;
    if (external != null) {
      boolean adopted = external.equals(adoptedExternalSid(resource));
      // once replaced by a recreated mapping, the annotated one is not looked for again
      Optional<TwilioMapping> named =
          adopted && !external.equals(statusSid(resource))
              ? Optional.empty()
              : actuator.observeSid(account, external);
      if (named.isEmpty() && adopted) {
        // adopted earlier, so the annotation has done its job: Twilio lost the mapping since,
        // which is repaired like any other drift (below), and the annotation is now stale
        staleAnnotation = external;
      } else if (named.isEmpty()) {
        String message =
            "Twilio holds no mapping "
                + external
                + " (annotation "
                + SourceIpMapping.EXTERNAL_SID_ANNOTATION
                + ")";
        status.observed(observed.orElse(null)).failed(REFERENCE_NOT_READY, message);
        return finishWithEvent(resource, status, REFERENCE_NOT_READY, message, interval);
      } else if (!named.get().ipRecordSid().equals(wanted.ipRecordSid())) {
        String message =
            "annotation "
                + SourceIpMapping.EXTERNAL_SID_ANNOTATION
                + " names "
                + external
                + ", which maps IP record "
                + named.get().ipRecordSid()
                + ", but the spec wants IP record "
                + wanted.ipRecordSid();
        status.failed(INVALID_SPEC, message);
        return finishWithEvent(resource, status, INVALID_SPEC, message, null);
      } else {
        observed = named;
        status.adoptedExternal(external);
      }
    }

    if (resource.getSpec().effectiveManagementPolicy() == ManagementPolicy.Observe) {
      return observeOnly(resource, wanted, status, observed.orElse(null), OBSERVING, interval);
    }

    Optional<SourceIpMapping> owner =
        ownerOf(
            resource, wanted.ipRecordSid(), account, observed.map(TwilioMapping::sid).orElse(null));
    if (owner.isPresent() && !sameResource(owner.get(), resource)) {
      String message =
          "IP record "
              + wanted.ipRecordSid()
              + " is already managed by "
              + ClaimResolver.describe(owner.get())
              + " in this account; this resource will not write to Twilio";
      status.observed(null).failed(CONFLICT, message);
      return finishWithEvent(resource, status, CONFLICT, message, null);
    }

    if (isPaused(resource)) {
      return observeOnly(resource, wanted, status, observed.orElse(null), PAUSED, interval);
    }

    TwilioMapping current;
    SourceIpMappingStatus recorded = resource.getStatus();
    if (observed.isEmpty()) {
      current =
          report(resource, actuator.create(account, wanted.ipRecordSid(), wanted.sipDomainSid()));
      if (recorded != null
          && recorded.getSid() != null
          && wanted.ipRecordSid().equals(recorded.getIpRecordSid())
          && !current.sid().equals(recorded.getSid())) {
        // status named a mapping of this IP record that Twilio no longer holds
        metrics.driftRepaired(KIND, OperatorMetrics.DriftRepair.RECREATED);
      }
      if (staleAnnotation != null) {
        staleAnnotation(resource, "mapping", staleAnnotation, current.sid());
      }
    } else if (!observed.get().sipDomainSid().equals(wanted.sipDomainSid())) {
      current = report(resource, actuator.update(account, observed.get(), wanted.sipDomainSid()));
      if (recorded != null
          && observed.get().sid().equals(recorded.getSid())
          && wanted.sipDomainSid().equals(recorded.getSipDomainSid())) {
        // the operator had pointed it where the spec says; someone changed it at Twilio
        metrics.driftRepaired(KIND, OperatorMetrics.DriftRepair.SET_BACK);
      }
    } else {
      current = observed.get();
      if (!current.sid().equals(statusSid(resource))) {
        events.normal(
            resource,
            EventReasons.ADOPTED,
            "Adopted existing Twilio mapping "
                + current.sid()
                + " for IP record "
                + current.ipRecordSid());
      }
    }
    retirePrevious(resource, account, current);
    status
        .observed(current)
        .ready(
            true,
            AVAILABLE,
            "Twilio maps IP record "
                + current.ipRecordSid()
                + " to SIP domain "
                + current.sipDomainSid()
                + " as "
                + current.sid())
        .synced(true, RECONCILE_SUCCESS, "");
    return finish(resource, status, hasResyncAnnotation(resource) ? interval : null);
  }

  /** Records an Event for each step the actuator took; returns where it ended. */
  private TwilioMapping report(SourceIpMapping resource, Applied<TwilioMapping> applied) {
    for (Applied.Step<TwilioMapping> step : applied.steps()) {
      TwilioMapping m = step.object();
      switch (step.action()) {
        case CREATED ->
            events.normal(
                resource,
                EventReasons.CREATED,
                "Created Twilio mapping " + m.sid() + " for IP record " + m.ipRecordSid());
        case FOUND ->
            events.normal(
                resource,
                EventReasons.ADOPTED,
                "Found Twilio mapping " + m.sid() + " after an inconclusive create; adopted it");
        case UPDATED ->
            events.normal(
                resource,
                EventReasons.UPDATED,
                "Pointed Twilio mapping "
                    + m.sid()
                    + " from SIP domain "
                    + step.before().sipDomainSid()
                    + " to "
                    + m.sipDomainSid());
      }
    }
    return applied.result();
  }

  /**
   * After {@code spec.ipRecordSid} changed, deletes the mapping of the previous IP record once the
   * new one exists. Status still names the previous one until this succeeds, so a crash at any step
   * is finished by the next reconcile.
   */
  private void retirePrevious(SourceIpMapping resource, Account account, TwilioMapping current) {
    SourceIpMappingStatus status = resource.getStatus();
    if (status == null
        || status.getIpRecordSid() == null
        || status.getIpRecordSid().equals(current.ipRecordSid())) {
      return;
    }
    Optional<TwilioMapping> previous =
        actuator
            .observe(account, status.getIpRecordSid())
            .filter(m -> status.getSid() == null || m.sid().equals(status.getSid()));
    if (previous.isEmpty()) {
      return;
    }
    actuator.delete(account, previous.get().sid());
    events.normal(
        resource,
        EventReasons.REPLACED,
        "Deleted Twilio mapping "
            + previous.get().sid()
            + " of previous IP record "
            + previous.get().ipRecordSid()
            + "; replaced by "
            + current.sid());
  }

  private UpdateControl<SourceIpMapping> observeOnly(
      SourceIpMapping resource,
      MappingReferences.Wanted want,
      MappingStatusBuilder status,
      TwilioMapping observed,
      String reason,
      Duration interval) {
    String wanted = want.sipDomainSid();
    String mode = observeMode(reason);
    status.observed(observed);
    if (observed == null) {
      status.failed(
          reason,
          "Twilio holds no mapping for IP record " + want.ipRecordSid() + " (" + mode + ")");
    } else if (!observed.sipDomainSid().equals(wanted)) {
      String message =
          "Twilio maps IP record "
              + observed.ipRecordSid()
              + " to SIP domain "
              + observed.sipDomainSid()
              + ", spec wants "
              + wanted
              + " ("
              + mode
              + ")";
      status.ready(false, reason, message).synced(false, reason, message);
    } else {
      status
          .ready(
              true,
              AVAILABLE,
              "Twilio maps IP record "
                  + observed.ipRecordSid()
                  + " to SIP domain "
                  + observed.sipDomainSid()
                  + " as "
                  + observed.sid())
          .synced(reason.equals(OBSERVING), reason, mode);
    }
    return finish(resource, status, hasResyncAnnotation(resource) ? interval : null);
  }

  // ---- cleanup ------------------------------------------------------------------------------

  @Override
  protected AccountReference accountRef(SourceIpMapping resource) {
    return resource.getSpec() == null ? null : resource.getSpec().getAccountRef();
  }

  @Override
  protected MappingStatusBuilder newStatus(SourceIpMapping resource) {
    return new MappingStatusBuilder(resource, clock.instant());
  }

  @Override
  protected DeleteControl cleanupResource(
      SourceIpMapping resource, Context<SourceIpMapping> context) {
    DeleteControl control = release(resource, context);
    if (control.isRemoveFinalizer() && wakeups != null) {
      // a resource that lost the claim to this IP record may take it over now
      Set<String> ips = new LinkedHashSet<>();
      ips.add(references.wantedIpRecordSid(resource));
      ips.add(resource.getStatus() == null ? null : resource.getStatus().getIpRecordSid());
      ips.remove(null);
      wakeups.wakeAll(
          ips.stream().flatMap(ip -> resourcesNaming.apply(ip).stream()).toList(), resource);
    }
    return control;
  }

  /** Deletes at Twilio unless told not to; says whether the finalizer may go. */
  private DeleteControl release(SourceIpMapping resource, Context<SourceIpMapping> context) {
    SourceIpMappingSpec spec = resource.getSpec();
    if (orphans(
        resource,
        spec == null ? null : spec.effectiveDeletionPolicy(),
        spec == null ? null : spec.effectiveManagementPolicy(),
        "mapping")) {
      return DeleteControl.defaultDelete();
    }
    MappingStatusBuilder status = new MappingStatusBuilder(resource, clock.instant());
    if (isPaused(resource)) {
      return pausedDeletion(context, resource, status);
    }
    try {
      Account account = accountForCleanup(resource, status);
      account.snapshot().ensureLoaded();
      // the IP record the spec wants (an IpRecord gone already: the one status records)
      String ip =
          SpecValidator.problems(resource).isEmpty()
              ? references.wantedIpRecordSid(resource)
              : null;
      if (ip == null && spec.getUnreadable().isEmpty() && resource.getStatus() != null) {
        ip = resource.getStatus().getIpRecordSid();
      }
      String claimed = ip;
      // The mapping status records, and the one Twilio holds for the spec's IP record: they
      // differ when the spec moved to another IP record and the operator created its mapping but
      // died (or lost a status write) before recording it.
      Set<String> held = new LinkedHashSet<>();
      if (statusSid(resource) != null) {
        held.add(statusSid(resource));
      }
      if (ip != null) {
        // a lost create must not be left behind
        actuator.observeSettled(account, ip).map(TwilioMapping::sid).ifPresent(held::add);
      }
      // the mapping may belong to the resource that won the claim to this IP record
      held.removeIf(
          sid -> {
            Optional<SourceIpMapping> owner =
                claimed == null ? Optional.empty() : ownerOf(resource, claimed, account, sid);
            return owner.isPresent() && !sameResource(owner.get(), resource);
          });
      if (held.isEmpty()) {
        return DeleteControl.defaultDelete();
      }
      if (!spec.getUnreadable().isEmpty()) {
        // an unreadable field may be the policy the user meant (deletionPolicy: orphan): never
        // delete at Twilio on a guess
        String message =
            "deletion of Twilio mapping "
                + String.join(", ", held)
                + " waits: "
                + String.join("; ", SpecValidator.problems(resource))
                + ". Fix the spec, or set deletionPolicy: Orphan to leave the mapping at Twilio";
        status.synced(false, INVALID_SPEC, message);
        if (status.changed()) {
          events.warning(resource, INVALID_SPEC, message);
        }
        patchStatusIfChanged(context, resource, status);
        return DeleteControl.noFinalizerRemoval();
      }
      for (String sid : held) {
        actuator.delete(account, sid);
        events.normal(resource, EventReasons.DELETED, "Deleted Twilio mapping " + sid);
      }
      return DeleteControl.defaultDelete();
    } catch (AccountUnavailableException | TwilioException e) {
      return cleanupFailed(context, resource, status, e);
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** Which resource manages the mapping of IP record {@code ip} in the account. */
  private Optional<SourceIpMapping> ownerOf(
      SourceIpMapping resource, String ip, Account account, String twilioSid) {
    List<SourceIpMapping> claimants =
        Stream.concat(
                resourcesNaming.apply(ip).stream()
                    .filter(r -> !sameResource(r, resource))
                    // a resource on its way out gives up its claim to the others
                    .filter(r -> !r.isMarkedForDeletion())
                    .filter(r -> r.getSpec() != null)
                    .filter(r -> r.getSpec().effectiveManagementPolicy() == ManagementPolicy.Manage)
                    .filter(r -> ip.equals(references.wantedIpRecordSid(r)))
                    .filter(r -> sameAccount(r, account)),
                Stream.of(resource))
            .toList();
    return ClaimResolver.owner(claimants, twilioSid);
  }
}
