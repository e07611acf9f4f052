package dev.byoc.sourceip.emulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A stateful, in-memory Twilio for the Source IP Mapping, IP Record and SIP Domain APIs, served
 * over real HTTP on one port, with fault injection and request counters for tests and benchmarks.
 */
public final class TwilioEmulator implements AutoCloseable {
  static {
    // The JDK server writes response headers and body separately; with Nagle's algorithm on, the
    // body then waits for the client's delayed ACK (~40 ms a request). Read once per JVM, before
    // the first HttpServer is created.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final String bindHost;
  private final int requestedPort;
  private final String publicBaseUrl;
  private final AccountRegistry registry = new AccountRegistry();
  private final ResourceStore store = new ResourceStore();
  private final Representations representations = new Representations();
  private final RequestCounters counters = new RequestCounters();
  private final FaultInjector faults;
  private final Neighbour neighbour;
  private final IpRecordApi ipRecords = new IpRecordApi(store, representations);
  private final SourceIpMappingApi mappings = new SourceIpMappingApi(store, representations);
  private final SipDomainApi domains = new SipDomainApi(store, representations);

  private volatile ProcessedRequest.Listener processedListener;
  private HttpServer server;
  private ExecutorService executor;
  private volatile String baseUrl;
  private volatile String listenUrl;
  private boolean closed;

  private TwilioEmulator(Builder builder) {
    this.bindHost = builder.bindHost;
    this.requestedPort = builder.port;
    this.publicBaseUrl = builder.publicBaseUrl;
    this.faults = new FaultInjector(builder.faults);
    builder.accountFaults.forEach(faults::update);
    builder.neighbour.checkAgainst(builder.faults.concurrencyLimit());
    this.neighbour = new Neighbour(builder.neighbour, faults, counters, registry::accounts);
    builder.accounts.forEach(a -> registry.add(a.sid(), a.authToken()));
    if (registry.isEmpty()) {
      registry.add(Sids.next("AC"), Sids.secret());
    }
    builder.apiKeys.forEach(k -> registry.addKey(k.accountSid(), k.keySid(), k.secret()));
    store.duplicates().allow(builder.allowDuplicateMappings);
    store.allowedRanges().setDefault(builder.defaultAllowedRanges);
    builder.allowedRanges.forEach(
        (account, ranges) -> {
          requireAccount(account);
          store.allowedRanges().set(account, ranges);
        });
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds and starts serving.
   *
   * @throws UncheckedIOException wrapping a {@link java.net.BindException} if the port is taken
   */
  public synchronized TwilioEmulator start() {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    HttpServer created;
    try {
      created = HttpServer.create(new InetSocketAddress(bindHost, requestedPort), 1024);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on " + bindHost + ":" + requestedPort + ": " + e.getMessage(), e);
    }
    Router router = new Router();
    mappings.register(router);
    ipRecords.register(router);
    domains.register(router);
    executor = Executors.newCachedThreadPool(daemonThreads());
    created.setExecutor(executor);
    created.createContext(
        "/",
        new TwilioHandler(router, registry, faults, counters, neighbour, () -> processedListener));
    created.createContext(AdminHandler.PREFIX, new AdminHandler(this));
    created.start();
    neighbour.start();
    server = created;
    listenUrl = "http://" + urlHost(bindHost) + ":" + created.getAddress().getPort();
    baseUrl = publicBaseUrl == null ? listenUrl : stripSlash(publicBaseUrl);
    representations.baseUrl(baseUrl);
    return this;
  }

  /** The base URL clients use, e.g. "http://127.0.0.1:PORT" (no trailing slash). */
  public String baseUrl() {
    requireStarted();
    return baseUrl;
  }

  /** Where the server listens (differs from {@link #baseUrl()} with a public base URL). */
  public String listenUrl() {
    requireStarted();
    return listenUrl;
  }

  public int port() {
    requireStarted();
    return server.getAddress().getPort();
  }

  public List<EmulatorAccount> accounts() {
    return registry.accounts();
  }

  public List<EmulatorApiKey> apiKeys() {
    return registry.keys();
  }

  /** Adds an account at runtime (or replaces the token of a known one). */
  public EmulatorAccount addAccount(String accountSid, String authToken) {
    return registry.add(accountSid, authToken);
  }

  /** Adds an API key for a known account at runtime. */
  public EmulatorApiKey addApiKey(String accountSid, String keySid, String secret) {
    return registry.addKey(accountSid, keySid, secret);
  }

  public RequestCounters counters() {
    return counters;
  }

  public FaultInjector faults() {
    return faults;
  }

  /** The account's other traffic: its settings, held slots and counters (off by default). */
  public Neighbour neighbour() {
    return neighbour;
  }

  /**
   * The neighbour's requests attempted, served and refused (429); reset with {@link
   * RequestCounters#reset()}.
   */
  public NeighbourCounters neighbourCounters() {
    return counters.neighbour();
  }

  /** Creates an IP record as POST /v1/IpRecords would (same checks, not counted); its SID. */
  public String createIpRecord(String accountSid, String ip, int cidr, String friendlyName) {
    requireAccount(accountSid);
    return seed(
        () ->
            ipRecords
                .create(
                    accountSid,
                    Params.of(
                        "IpAddress", ip,
                        "CidrPrefixLength", String.valueOf(cidr),
                        "FriendlyName", friendlyName))
                .sid());
  }

  /** Creates a SIP domain as the 2010 API would (same checks, not counted); its SID. */
  public String createSipDomain(String accountSid, String domainName) {
    requireAccount(accountSid);
    return seed(() -> domains.create(accountSid, Params.of("DomainName", domainName)).sid());
  }

  /**
   * Creates an IP record under a chosen SID, so that example manifests naming fixed SIDs work
   * (sandbox seeding; Twilio itself always picks SIDs). Does nothing if the SID exists already.
   */
  public void seedIpRecord(
      String accountSid, String sid, String ip, int cidr, String friendlyName) {
    requireAccount(accountSid);
    requireSid(sid, "IL");
    if (store.account(accountSid).ipRecord(sid).isEmpty()) {
      seed(
          () ->
              ipRecords
                  .create(
                      accountSid,
                      Params.of(
                          "IpAddress", ip,
                          "CidrPrefixLength", String.valueOf(cidr),
                          "FriendlyName", friendlyName),
                      sid)
                  .sid());
    }
  }

  /**
   * Creates a SIP domain under a chosen SID (sandbox seeding); nothing if that SID, or a domain of
   * that name (under any SID), exists already.
   */
  public void seedSipDomain(String accountSid, String sid, String domainName) {
    requireAccount(accountSid);
    requireSid(sid, "SD");
    boolean nameHeld =
        sipDomains(accountSid).stream().anyMatch(d -> d.domainName().equalsIgnoreCase(domainName));
    if (store.account(accountSid).domain(sid).isEmpty() && !nameHeld) {
      seed(() -> domains.create(accountSid, Params.of("DomainName", domainName), sid).sid());
    }
  }

  private static void requireSid(String sid, String prefix) {
    if (sid == null || !sid.matches("^" + prefix + "[0-9a-fA-F]{32}$")) {
      throw new IllegalArgumentException(
          "'" + sid + "' is not a SID: expected " + prefix + " followed by 32 hexadecimal digits");
    }
  }

  /** Creates a source IP mapping as POST /v1/SourceIpMappings would (not counted); its SID. */
  public String createSourceIpMapping(String accountSid, String ipRecordSid, String sipDomainSid) {
    requireAccount(accountSid);
    return seed(
        () ->
            mappings
                .create(
                    accountSid, Params.of("IpRecordSid", ipRecordSid, "SipDomainSid", sipDomainSid))
                .sid());
  }

  /**
   * Deletes a source IP mapping as DELETE /v1/SourceIpMappings/{Sid} would, but not counted and
   * without latency: a change made out of band (drift) for tests and the benchmark. Whether it
   * existed.
   */
  public boolean deleteSourceIpMapping(String accountSid, String sid) {
    requireAccount(accountSid);
    return store.account(accountSid).deleteMapping(sid);
  }

  public int mappingCount(String accountSid) {
    return sourceIpMappings(accountSid).size();
  }

  public int ipRecordCount(String accountSid) {
    return ipRecords(accountSid).size();
  }

  public int sipDomainCount(String accountSid) {
    return sipDomains(accountSid).size();
  }

  /** The account's mappings in SID order. */
  public List<StoredSourceIpMapping> sourceIpMappings(String accountSid) {
    return store.account(accountSid).allMappings();
  }

  public List<StoredIpRecord> ipRecords(String accountSid) {
    return store.account(accountSid).allIpRecords();
  }

  public List<StoredSipDomain> sipDomains(String accountSid) {
    return store.account(accountSid).allDomains();
  }

  /**
   * Whether a create for an IP record that already has a mapping is let through (true) or refused
   * with a 400 (false, the default). Either way the attempt is recorded in {@link
   * #duplicateMappings()}.
   */
  public void allowDuplicateMappings(boolean allow) {
    store.duplicates().allow(allow);
  }

  /**
   * Sets the CIDR blocks (e.g. "203.0.113.0/24") that the account's Interconnect allows: a create
   * of an IP record not wholly inside one of them is refused with a 400 (code 20001) on {@code
   * IpAddress}. An empty list allows everything. Kept across {@link #reset()}.
   *
   * @throws IllegalArgumentException for an unknown account or a value that is not a CIDR block
   */
  public void allowedIpRanges(String accountSid, List<String> cidrBlocks) {
    requireAccount(accountSid);
    store.allowedRanges().set(accountSid, parseRanges(cidrBlocks));
  }

  /** The blocks the account's IP records must lie in, as "a.b.c.d/n"; empty: everything. */
  public List<String> allowedIpRanges(String accountSid) {
    return store.allowedRanges().of(accountSid).stream().map(Ipv4Block::toString).toList();
  }

  private static List<Ipv4Block> parseRanges(List<String> cidrBlocks) {
    return cidrBlocks.stream().map(Ipv4Block::parse).toList();
  }

  /** Every create that asked for a second mapping of an IP record, refused or let through. */
  public List<DuplicateMapping> duplicateMappings() {
    return store.duplicates().entries();
  }

  /**
   * Calls {@code listener} for every Twilio-path request carried out, before its answer is sent;
   * null removes it. For tests that act between Twilio's write and the client's reading of it.
   */
  public void onProcessed(ProcessedRequest.Listener listener) {
    this.processedListener = listener;
  }

  /** Deletes every resource of every account; accounts, faults and counters stay. */
  public void reset() {
    store.clear();
  }

  /** Stops the server at once (open connections are closed) and its threads. */
  @Override
  public synchronized void close() {
    if (server != null && !closed) {
      closed = true;
      neighbour.close();
      server.stop(0);
      executor.shutdownNow();
      try {
        executor.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void requireStarted() {
    if (server == null) {
      throw new IllegalStateException("emulator not started");
    }
  }

  private void requireAccount(String accountSid) {
    if (registry.accounts().stream().noneMatch(a -> a.sid().equals(accountSid))) {
      throw new IllegalArgumentException("unknown account " + accountSid);
    }
  }

  private static String seed(Supplier<String> creation) {
    try {
      return creation.get();
    } catch (TwilioError e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static String urlHost(String host) {
    String usable = host;
    try {
      if (InetAddress.getByName(host).isAnyLocalAddress()) {
        usable = "127.0.0.1";
      }
    } catch (IOException e) {
      // keep the name as given
    }
    return usable.contains(":") ? "[" + usable + "]" : usable;
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "twilio-emulator-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Configures an emulator; everything is optional. */
  public static final class Builder {
    private String bindHost = "127.0.0.1";
    private int port = 0;
    private String publicBaseUrl;
    private final List<EmulatorAccount> accounts = new ArrayList<>();
    private final List<EmulatorApiKey> apiKeys = new ArrayList<>();
    private FaultSettings faults = FaultSettings.none();
    private final Map<String, FaultSettings> accountFaults = new LinkedHashMap<>();
    private NeighbourSettings neighbour = NeighbourSettings.off();
    private boolean allowDuplicateMappings;
    private final List<Ipv4Block> defaultAllowedRanges = new ArrayList<>();
    private final Map<String, List<Ipv4Block>> allowedRanges = new LinkedHashMap<>();

    private Builder() {}

    /** Port to listen on; 0 (the default) picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be within 0..65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /** Address to bind (default 127.0.0.1). */
    public Builder bind(String host) {
      this.bindHost = host;
      return this;
    }

    /** Base URL written into resource URLs instead of the listening address. */
    public Builder publicBaseUrl(String url) {
      this.publicBaseUrl = url;
      return this;
    }

    /** An account (repeatable); without any, one is generated. */
    public Builder account(String accountSid, String authToken) {
      accounts.add(new EmulatorAccount(accountSid, authToken));
      return this;
    }

    public Builder apiKey(String accountSid, String keySid, String secret) {
      apiKeys.add(new EmulatorApiKey(accountSid, keySid, secret));
      return this;
    }

    public Builder faults(FaultSettings settings) {
      this.faults = settings;
      return this;
    }

    /**
     * One account's own latency, concurrency limit and probabilistic faults, in place of those of
     * {@link #faults(FaultSettings)} (repeatable, one per account). See {@link
     * FaultInjector#update(String, FaultSettings)}.
     */
    public Builder faults(String accountSid, FaultSettings settings) {
      accountFaults.put(accountSid, settings);
      return this;
    }

    /**
     * The account's other traffic, in every account (default {@link NeighbourSettings#off()}); its
     * slots must not exceed the concurrency limit of {@link #faults(FaultSettings)}.
     */
    public Builder neighbour(NeighbourSettings settings) {
      this.neighbour = settings;
      return this;
    }

    /** See {@link TwilioEmulator#allowDuplicateMappings(boolean)}. */
    public Builder allowDuplicateMappings(boolean allow) {
      this.allowDuplicateMappings = allow;
      return this;
    }

    /**
     * A CIDR block (e.g. "203.0.113.0/24") that every account's Interconnect allows, unless the
     * account has ranges of its own (repeatable). Without any, every address is allowed. See {@link
     * TwilioEmulator#allowedIpRanges(String, List)}.
     */
    public Builder allowedIpRange(String cidrBlock) {
      defaultAllowedRanges.add(Ipv4Block.parse(cidrBlock));
      return this;
    }

    /** A CIDR block that one account's Interconnect allows (repeatable); replaces the default. */
    public Builder allowedIpRange(String accountSid, String cidrBlock) {
      allowedRanges
          .computeIfAbsent(accountSid, k -> new ArrayList<>())
          .add(Ipv4Block.parse(cidrBlock));
      return this;
    }

    public TwilioEmulator build() {
      return new TwilioEmulator(this);
    }
  }
}
