package dev.byoc.sourceip.emulator;

import java.util.Map;

/** Voice v1 /IpRecords: create, list, fetch, update (FriendlyName) and delete. */
final class IpRecordApi {
  static final String LIST = "/v1/IpRecords";
  static final String INSTANCE = "/v1/IpRecords/{Sid}";

  private final ResourceStore store;
  private final Representations json;

  IpRecordApi(ResourceStore store, Representations json) {
    this.store = store;
    this.json = json;
  }

  void register(Router router) {
    router.add(LIST, Map.of("POST", this::create, "GET", this::list));
    router.add(INSTANCE, Map.of("GET", this::fetch, "POST", this::update, "DELETE", this::delete));
  }

  /** Validates and creates; shared by HTTP and the in-process seeding helper. */
  StoredIpRecord create(String accountSid, Params p) {
    return create(accountSid, p, null);
  }

  /** As {@link #create(String, Params)}, under a given SID (seeding) or a fresh one (null). */
  StoredIpRecord create(String accountSid, Params p, String sid) {
    String ip = Validators.ipv4("IpAddress", p.required("IpAddress"));
    int cidr =
        p.get("CidrPrefixLength")
            .filter(v -> !v.isEmpty())
            .map(v -> Validators.cidrPrefixLength("CidrPrefixLength", v))
            .orElse(32);
    String name =
        p.get("FriendlyName").map(v -> Validators.friendlyName("FriendlyName", v)).orElse(null);
    store.allowedRanges().check(accountSid, ip, cidr);
    return store.account(accountSid).createIpRecord(sid, ip, cidr, name);
  }

  private Reply create(Call call) {
    return Reply.json(201, json.ipRecord(create(call.accountSid(), call.params())));
  }

  private Reply list(Call call) {
    PageRequest request = PageRequest.parse(call.params(), "IL");
    var slice = store.account(call.accountSid()).ipRecords(request);
    return Reply.json(200, json.v1Page(LIST, "ip_records", slice, request, json::ipRecord));
  }

  private Reply fetch(Call call) {
    String sid = call.pathSid(0, "IL");
    return store
        .account(call.accountSid())
        .ipRecord(sid)
        .map(r -> Reply.json(200, json.ipRecord(r)))
        .orElseThrow(() -> TwilioError.notFound(call.path()));
  }

  private Reply update(Call call) {
    String sid = call.pathSid(0, "IL");
    AccountStore account = store.account(call.accountSid());
    var name =
        call.params().get("FriendlyName").map(v -> Validators.friendlyName("FriendlyName", v));
    var updated =
        name.isPresent() ? account.renameIpRecord(sid, name.get()) : account.ipRecord(sid);
    return updated
        .map(r -> Reply.json(200, json.ipRecord(r)))
        .orElseThrow(() -> TwilioError.notFound(call.path()));
  }

  private Reply delete(Call call) {
    String sid = call.pathSid(0, "IL");
    if (!store.account(call.accountSid()).deleteIpRecord(sid)) {
      throw TwilioError.notFound(call.path());
    }
    return Reply.noContent();
  }
}
