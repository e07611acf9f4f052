package dev.byoc.sourceip.emulator;

import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/** API 2010 /Accounts/{AccountSid}/SIP/Domains: create, list, fetch, update and delete. */
final class SipDomainApi {
  static final String LIST = "/2010-04-01/Accounts/{AccountSid}/SIP/Domains.json";
  static final String INSTANCE = "/2010-04-01/Accounts/{AccountSid}/SIP/Domains/{Sid}.json";

  private final ResourceStore store;
  private final Representations json;

  SipDomainApi(ResourceStore store, Representations json) {
    this.store = store;
    this.json = json;
  }

  void register(Router router) {
    router.add(LIST, Map.of("POST", this::create, "GET", this::list));
    router.add(INSTANCE, Map.of("GET", this::fetch, "POST", this::update, "DELETE", this::delete));
  }

  /** Validates and creates; shared by HTTP and the in-process seeding helper. */
  StoredSipDomain create(String accountSid, Params p) {
    return create(accountSid, p, null);
  }

  /** As {@link #create(String, Params)}, under a given SID (seeding) or a fresh one (null). */
  StoredSipDomain create(String accountSid, Params p, String givenSid) {
    String name = Validators.domainName("DomainName", p.required("DomainName"));
    String sid = givenSid == null ? Sids.next("SD") : givenSid;
    Instant now = Json.now();
    StoredSipDomain domain = apply(StoredSipDomain.create(accountSid, sid, name, now), p, now);
    claim(name, sid);
    store.account(accountSid).putDomain(domain);
    return domain;
  }

  private Reply create(Call call) {
    call.pathAccount(0);
    return Reply.json(201, json.sipDomain(create(call.accountSid(), call.params())));
  }

  private Reply list(Call call) {
    String account = call.pathAccount(0);
    PageRequest request = PageRequest.parse(call.params(), "SD");
    var slice = store.account(account).domains(request);
    return Reply.json(200, json.domainPage(account, slice, request));
  }

  private Reply fetch(Call call) {
    call.pathAccount(0);
    String sid = call.pathSid(1, "SD");
    return store
        .account(call.accountSid())
        .domain(sid)
        .map(d -> Reply.json(200, json.sipDomain(d)))
        .orElseThrow(() -> TwilioError.notFound(call.path()));
  }

  private Reply update(Call call) {
    call.pathAccount(0);
    String sid = call.pathSid(1, "SD");
    AccountStore account = store.account(call.accountSid());
    StoredSipDomain current =
        account.domain(sid).orElseThrow(() -> TwilioError.notFound(call.path()));
    Params p = call.params();
    Instant now = Json.now();
    StoredSipDomain validated = apply(current, p, now);
    String newName = validated.domainName();
    boolean renamed = !newName.equalsIgnoreCase(current.domainName());
    if (renamed) {
      claim(newName, sid);
    }
    var updated = account.updateDomain(sid, d -> apply(d, p, now));
    if (updated.isEmpty()) {
      if (renamed) {
        store.releaseDomainName(newName, sid);
      }
      throw TwilioError.notFound(call.path());
    }
    if (renamed) {
      store.releaseDomainName(current.domainName(), sid);
    }
    return Reply.json(200, json.sipDomain(updated.get()));
  }

  private Reply delete(Call call) {
    call.pathAccount(0);
    String sid = call.pathSid(1, "SD");
    StoredSipDomain removed =
        store
            .account(call.accountSid())
            .deleteDomain(sid)
            .orElseThrow(() -> TwilioError.notFound(call.path()));
    store.releaseDomainName(removed.domainName(), sid);
    return Reply.noContent();
  }

  private void claim(String name, String sid) {
    if (!store.claimDomainName(name, sid)) {
      throw TwilioError.invalidParameter("DomainName", "'" + name + "' is already in use");
    }
  }

  /** The domain with every given parameter applied (validated); absent ones keep their value. */
  private static StoredSipDomain apply(StoredSipDomain d, Params p, Instant now) {
    return new StoredSipDomain(
        d.accountSid(),
        d.sid(),
        text(p, "DomainName", d.domainName(), v -> Validators.domainName("DomainName", v)),
        text(p, "FriendlyName", d.friendlyName(), v -> Validators.friendlyName("FriendlyName", v)),
        text(p, "VoiceUrl", d.voiceUrl(), v -> Validators.url("VoiceUrl", v)),
        text(p, "VoiceMethod", d.voiceMethod(), v -> Validators.httpMethod("VoiceMethod", v)),
        text(
            p,
            "VoiceFallbackUrl",
            d.voiceFallbackUrl(),
            v -> Validators.url("VoiceFallbackUrl", v)),
        text(
            p,
            "VoiceFallbackMethod",
            d.voiceFallbackMethod(),
            v -> Validators.httpMethod("VoiceFallbackMethod", v)),
        text(
            p,
            "VoiceStatusCallbackUrl",
            d.voiceStatusCallbackUrl(),
            v -> Validators.url("VoiceStatusCallbackUrl", v)),
        text(
            p,
            "VoiceStatusCallbackMethod",
            d.voiceStatusCallbackMethod(),
            v -> Validators.httpMethod("VoiceStatusCallbackMethod", v)),
        flag(p, "SipRegistration", d.sipRegistration()),
        flag(p, "EmergencyCallingEnabled", d.emergencyCallingEnabled()),
        flag(p, "Secure", d.secure()),
        text(p, "ByocTrunkSid", d.byocTrunkSid(), v -> optionalSid("ByocTrunkSid", "BY", v)),
        text(
            p,
            "EmergencyCallerSid",
            d.emergencyCallerSid(),
            v -> optionalSid("EmergencyCallerSid", "PN", v)),
        d.dateCreated(),
        now);
  }

  private static String text(
      Params p, String name, String current, Function<String, String> check) {
    return p.has(name) ? check.apply(p.get(name).orElseThrow()) : current;
  }

  private static boolean flag(Params p, String name, boolean current) {
    return p.get(name).map(v -> Validators.bool(name, v)).orElse(current);
  }

  private static String optionalSid(String name, String prefix, String value) {
    return value.isEmpty() ? null : Validators.sid(name, prefix, value);
  }
}
