package dev.byoc.sourceip.emulator;

import java.util.Map;

/** Voice v1 /SourceIpMappings: create, list, fetch, update (SipDomainSid) and delete. */
final class SourceIpMappingApi {
  static final String LIST = "/v1/SourceIpMappings";
  static final String INSTANCE = "/v1/SourceIpMappings/{Sid}";

  private final ResourceStore store;
  private final Representations json;

  SourceIpMappingApi(ResourceStore store, Representations json) {
    this.store = store;
    this.json = json;
  }

  void register(Router router) {
    router.add(LIST, Map.of("POST", this::create, "GET", this::list));
    router.add(INSTANCE, Map.of("GET", this::fetch, "POST", this::update, "DELETE", this::delete));
  }

  /** Validates and creates; shared by HTTP and the in-process seeding helper. */
  StoredSourceIpMapping create(String accountSid, Params p) {
    String ipRecordSid = Validators.sid("IpRecordSid", "IL", p.required("IpRecordSid"));
    String domainSid = Validators.sid("SipDomainSid", "SD", p.required("SipDomainSid"));
    return store.account(accountSid).createMapping(ipRecordSid, domainSid);
  }

  private Reply create(Call call) {
    return Reply.json(201, json.mapping(create(call.accountSid(), call.params())));
  }

  private Reply list(Call call) {
    PageRequest request = PageRequest.parse(call.params(), "IB");
    var slice = store.account(call.accountSid()).mappings(request);
    return Reply.json(200, json.v1Page(LIST, "source_ip_mappings", slice, request, json::mapping));
  }

  private Reply fetch(Call call) {
    String sid = call.pathSid(0, "IB");
    return store
        .account(call.accountSid())
        .mapping(sid)
        .map(m -> Reply.json(200, json.mapping(m)))
        .orElseThrow(() -> TwilioError.notFound(call.path()));
  }

  private Reply update(Call call) {
    String sid = call.pathSid(0, "IB");
    String domainSid = Validators.sid("SipDomainSid", "SD", call.params().required("SipDomainSid"));
    return store
        .account(call.accountSid())
        .remapMapping(sid, domainSid)
        .map(m -> Reply.json(200, json.mapping(m)))
        .orElseThrow(() -> TwilioError.notFound(call.path()));
  }

  private Reply delete(Call call) {
    String sid = call.pathSid(0, "IB");
    if (!store.account(call.accountSid()).deleteMapping(sid)) {
      throw TwilioError.notFound(call.path());
    }
    return Reply.noContent();
  }
}
