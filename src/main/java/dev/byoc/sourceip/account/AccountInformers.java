package dev.byoc.sourceip.account;

import dev.byoc.sourceip.api.v1alpha1.ClusterTwilioAccount;
import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.TwilioAccount;
import dev.byoc.sourceip.api.v1alpha1.TwilioAccountSpec;
import dev.byoc.sourceip.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The operator's own caches of what accounts are resolved and judged from: the TwilioAccounts and
 * ClusterTwilioAccounts, the namespaces' labels (for namespaceSelectors), and the resources,
 * indexed by the account they ask for (who uses an account, what the cluster claims). Started and
 * synced before any controller, so a resource never resolves against an empty cache.
 */
public final class AccountInformers implements AccountObjects, AutoCloseable {
  private static final String BY_ACCOUNT = "account";
  private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(2);

  private final List<SharedIndexInformer<TwilioAccount>> twilioAccounts;
  private final SharedIndexInformer<ClusterTwilioAccount> clusterAccounts;
  private final SharedIndexInformer<Namespace> namespaces;
  private final List<SharedIndexInformer<SourceIpMapping>> mappings;
  private final List<SharedIndexInformer<IpRecord>> ipRecords;
  private final List<Consumer<Set<String>>> objectListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<Set<String>>> userListeners = new CopyOnWriteArrayList<>();

  private AccountInformers(KubernetesClient client, OperatorConfig config) {
    OperatorConfig.Scope scope = config.scope();
    twilioAccounts =
        informers(scope, ns -> select(scope, inNamespace(client, TwilioAccount.class, ns)));
    twilioAccounts.forEach(i -> i.addEventHandler(objectHandler()));
    if (config.accounts().clusterAccounts()) {
      clusterAccounts =
          select(scope, client.resources(ClusterTwilioAccount.class)).runnableInformer(0);
      clusterAccounts.addEventHandler(objectHandler());
      namespaces = client.namespaces().runnableInformer(0);
    } else {
      clusterAccounts = null;
      namespaces = null;
    }
    mappings =
        informers(scope, ns -> select(scope, inNamespace(client, SourceIpMapping.class, ns)));
    ipRecords = informers(scope, ns -> select(scope, inNamespace(client, IpRecord.class, ns)));
    Function<SourceIpMapping, List<String>> mappingIndex =
        m ->
            List.of(
                AccountKey.requested(
                        m.getMetadata().getNamespace(),
                        m.getSpec() == null ? null : m.getSpec().getAccountRef())
                    .index());
    Function<IpRecord, List<String>> ipRecordIndex =
        r ->
            List.of(
                AccountKey.requested(
                        r.getMetadata().getNamespace(),
                        r.getSpec() == null ? null : r.getSpec().getAccountRef())
                    .index());
    mappings.forEach(
        i ->
            i.addIndexers(Map.of(BY_ACCOUNT, mappingIndex))
                .addEventHandler(userHandler(mappingIndex)));
    ipRecords.forEach(
        i ->
            i.addIndexers(Map.of(BY_ACCOUNT, ipRecordIndex))
                .addEventHandler(userHandler(ipRecordIndex)));
  }

  /** Starts every informer and waits until each has listed once. */
  public static AccountInformers start(KubernetesClient client, OperatorConfig config) {
    AccountInformers informers = new AccountInformers(client, config);
    List<CompletableFuture<Void>> started = new ArrayList<>();
    informers.all().forEach(i -> started.add(i.start().toCompletableFuture()));
    try {
      CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
          .get(SYNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      informers.close();
      throw new IllegalStateException(
          "the account and resource caches did not sync within " + SYNC_TIMEOUT + ": " + e, e);
    }
    return informers;
  }

  private Stream<SharedIndexInformer<?>> all() {
    return Stream.of(
            twilioAccounts.stream(),
            Stream.ofNullable(clusterAccounts),
            Stream.ofNullable(namespaces),
            mappings.stream(),
            ipRecords.stream())
        .flatMap(s -> s.map(i -> (SharedIndexInformer<?>) i));
  }

  private static <T extends HasMetadata> Informable<T> inNamespace(
      KubernetesClient client, Class<T> type, String namespace) {
    return namespace == null
        ? client.resources(type).inAnyNamespace()
        : client.resources(type).inNamespace(namespace);
  }

  @SuppressWarnings("unchecked")
  private static <T> Informable<T> select(OperatorConfig.Scope scope, Informable<T> informable) {
    if (scope.labelSelector() == null) {
      return informable;
    }
    return (Informable<T>)
        ((io.fabric8.kubernetes.client.dsl.Filterable<?>) informable)
            .withLabelSelector(scope.labelSelector());
  }

  private static <T> List<SharedIndexInformer<T>> informers(
      OperatorConfig.Scope scope, Function<String, Informable<T>> in) {
    if (scope.allNamespaces()) {
      return List.of(in.apply(null).runnableInformer(0));
    }
    return scope.namespaces().stream().map(ns -> in.apply(ns).runnableInformer(0)).toList();
  }

  // ---- AccountObjects -----------------------------------------------------------------------

  @Override
  public Optional<TwilioAccountSpec> spec(AccountKey key) {
    HasMetadata found =
        switch (key.kind()) {
          case TwilioAccount ->
              twilioAccounts.stream()
                  .map(i -> i.getStore().getByKey(key.namespace() + "/" + key.name()))
                  .filter(Objects::nonNull)
                  .findFirst()
                  .orElse(null);
          case ClusterTwilioAccount ->
              clusterAccounts == null ? null : clusterAccounts.getStore().getByKey(key.name());
        };
    if (found instanceof TwilioAccount a) {
      return Optional.ofNullable(a.getSpec());
    }
    if (found instanceof ClusterTwilioAccount a) {
      return Optional.ofNullable(a.getSpec());
    }
    return Optional.empty();
  }

  @Override
  public Map<String, String> namespaceLabels(String name) {
    if (namespaces == null) {
      return Map.of();
    }
    Namespace ns = namespaces.getStore().getByKey(name);
    return ns == null || ns.getMetadata().getLabels() == null
        ? Map.of()
        : ns.getMetadata().getLabels();
  }

  /** Told the index keys of account objects added, changed or deleted. */
  public void addObjectListener(Consumer<Set<String>> listener) {
    objectListeners.add(listener);
  }

  // ---- users --------------------------------------------------------------------------------

  /** The resources asking for account object {@code key}, as "Kind namespace/name", sorted. */
  public List<String> users(AccountKey key) {
    return Stream.concat(
            mappings.stream()
                .flatMap(i -> i.getIndexer().byIndex(BY_ACCOUNT, key.index()).stream()),
            ipRecords.stream()
                .flatMap(i -> i.getIndexer().byIndex(BY_ACCOUNT, key.index()).stream()))
        .map(
            r ->
                r.getKind()
                    + " "
                    + r.getMetadata().getNamespace()
                    + "/"
                    + r.getMetadata().getName())
        .sorted()
        .toList();
  }

  /** Every SourceIpMapping the operator watches. */
  public List<SourceIpMapping> mappings() {
    return mappings.stream().flatMap(i -> i.getStore().list().stream()).toList();
  }

  /** Every IpRecord the operator watches. */
  public List<IpRecord> ipRecords() {
    return ipRecords.stream().flatMap(i -> i.getStore().list().stream()).toList();
  }

  /**
   * Told the index keys of account objects whose users changed (a resource added, deleted, moved to
   * another account, or its status changed: claims).
   */
  public void addUserListener(Consumer<Set<String>> listener) {
    userListeners.add(listener);
  }

  private <T extends HasMetadata> ResourceEventHandler<T> objectHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        tell(obj);
      }

      @Override
      public void onUpdate(T old, T now) {
        if (!Objects.equals(old.getMetadata().getGeneration(), now.getMetadata().getGeneration())) {
          tell(now);
        }
      }

      @Override
      public void onDelete(T obj, boolean unknownFinalState) {
        tell(obj);
      }

      private void tell(T obj) {
        AccountKey key =
            obj instanceof ClusterTwilioAccount
                ? AccountKey.cluster(obj.getMetadata().getName())
                : AccountKey.namespaced(
                    obj.getMetadata().getNamespace(), obj.getMetadata().getName());
        Set<String> keys = Set.of(key.index());
        objectListeners.forEach(l -> l.accept(keys));
      }
    };
  }

  private <T extends HasMetadata> ResourceEventHandler<T> userHandler(
      Function<T, List<String>> index) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        tell(Set.copyOf(index.apply(obj)));
      }

      @Override
      public void onUpdate(T old, T now) {
        boolean same =
            Objects.equals(index.apply(old), index.apply(now))
                && Objects.equals(
                    old.getMetadata().getGeneration(), now.getMetadata().getGeneration())
                && Objects.equals(
                    old.getMetadata().getDeletionTimestamp(),
                    now.getMetadata().getDeletionTimestamp())
                && Objects.equals(sid(old), sid(now));
        if (!same) {
          Set<String> keys = new java.util.HashSet<>(index.apply(old));
          keys.addAll(index.apply(now));
          tell(keys);
        }
      }

      @Override
      public void onDelete(T obj, boolean unknownFinalState) {
        tell(Set.copyOf(index.apply(obj)));
      }

      private void tell(Set<String> keys) {
        userListeners.forEach(l -> l.accept(keys));
      }
    };
  }

  private static String sid(HasMetadata r) {
    if (r instanceof SourceIpMapping m && m.getStatus() != null) {
      return m.getStatus().getSid();
    }
    if (r instanceof IpRecord i && i.getStatus() != null) {
      return i.getStatus().getSid();
    }
    return null;
  }

  @Override
  public void close() {
    all().forEach(SharedIndexInformer::stop);
  }
}
