package dev.byoc.sourceip.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Function;

/** Renders stored resources and list pages as Twilio's JSON, with URLs on the emulator's base. */
final class Representations {
  static final String MAPPINGS_PATH = "/v1/SourceIpMappings";
  static final String IP_RECORDS_PATH = "/v1/IpRecords";

  private volatile String baseUrl = "http://127.0.0.1";

  void baseUrl(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  ObjectNode mapping(StoredSourceIpMapping m) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("sid", m.sid());
    node.put("ip_record_sid", m.ipRecordSid());
    node.put("sip_domain_sid", m.sipDomainSid());
    node.put("date_created", Json.isoDate(m.dateCreated()));
    node.put("date_updated", Json.isoDate(m.dateUpdated()));
    node.put("url", baseUrl + MAPPINGS_PATH + "/" + m.sid());
    return node;
  }

  ObjectNode ipRecord(StoredIpRecord r) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("account_sid", r.accountSid());
    node.put("sid", r.sid());
    node.put("friendly_name", r.friendlyName());
    node.put("ip_address", r.ipAddress());
    node.put("cidr_prefix_length", r.cidrPrefixLength());
    node.put("date_created", Json.isoDate(r.dateCreated()));
    node.put("date_updated", Json.isoDate(r.dateUpdated()));
    node.put("url", baseUrl + IP_RECORDS_PATH + "/" + r.sid());
    return node;
  }

  static String domainsPath(String accountSid) {
    return "/2010-04-01/Accounts/" + accountSid + "/SIP/Domains";
  }

  ObjectNode sipDomain(StoredSipDomain d) {
    String self = domainsPath(d.accountSid()) + "/" + d.sid();
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("account_sid", d.accountSid());
    node.put("api_version", "2010-04-01");
    node.putNull("auth_type");
    node.put("date_created", Json.rfc2822Date(d.dateCreated()));
    node.put("date_updated", Json.rfc2822Date(d.dateUpdated()));
    node.put("domain_name", d.domainName());
    node.put("friendly_name", d.friendlyName());
    node.put("sip_registration", d.sipRegistration());
    node.put("sid", d.sid());
    ObjectNode subresources = node.putObject("subresource_uris");
    subresources.put("credential_list_mappings", self + "/CredentialListMappings.json");
    subresources.put("ip_access_control_list_mappings", self + "/IpAccessControlListMappings.json");
    node.put("uri", self + ".json");
    node.put("voice_fallback_method", d.voiceFallbackMethod());
    node.put("voice_fallback_url", d.voiceFallbackUrl());
    node.put("voice_method", d.voiceMethod());
    node.put("voice_status_callback_method", d.voiceStatusCallbackMethod());
    node.put("voice_status_callback_url", d.voiceStatusCallbackUrl());
    node.put("voice_url", d.voiceUrl());
    node.put("emergency_calling_enabled", d.emergencyCallingEnabled());
    node.put("secure", d.secure());
    node.put("byoc_trunk_sid", d.byocTrunkSid());
    node.put("emergency_caller_sid", d.emergencyCallerSid());
    return node;
  }

  /** A Voice v1 list page: {key: [...], meta: {...}} with absolute page URLs. */
  <T> ObjectNode v1Page(
      String path, String key, Slice<T> slice, PageRequest request, Function<T, ObjectNode> each) {
    ObjectNode page = Json.MAPPER.createObjectNode();
    ArrayNode items = page.putArray(key);
    slice.items().forEach(item -> items.add(each.apply(item)));
    String root = baseUrl + path;
    ObjectNode meta = page.putObject("meta");
    meta.put("page", request.page());
    meta.put("page_size", request.pageSize());
    meta.put("first_page_url", pageLink(root, request.pageSize(), 0, null));
    meta.put("previous_page_url", previousLink(root, slice, request));
    meta.put("url", pageLink(root, request.pageSize(), request.page(), request.token()));
    meta.put("next_page_url", nextLink(root, slice, request));
    meta.put("key", key);
    return page;
  }

  /** An API 2010 list page: {domains: [...], start, end, page, ...} with relative URIs. */
  ObjectNode domainPage(String accountSid, Slice<StoredSipDomain> slice, PageRequest request) {
    String root = domainsPath(accountSid) + ".json";
    ObjectNode page = Json.MAPPER.createObjectNode();
    ArrayNode items = page.putArray("domains");
    slice.items().forEach(d -> items.add(sipDomain(d)));
    page.put("start", slice.start());
    page.put("end", Math.max(slice.start(), slice.start() + slice.items().size() - 1));
    page.put("first_page_uri", pageLink(root, request.pageSize(), 0, null));
    page.put("next_page_uri", nextLink(root, slice, request));
    page.put("page", request.page());
    page.put("page_size", request.pageSize());
    page.put("previous_page_uri", previousLink(root, slice, request));
    page.put("uri", pageLink(root, request.pageSize(), request.page(), request.token()));
    return page;
  }

  private static String nextLink(String root, Slice<?> slice, PageRequest request) {
    if (!slice.hasNext()) {
      return null;
    }
    return pageLink(root, request.pageSize(), request.page() + 1, "PA" + slice.lastSid());
  }

  private static String previousLink(String root, Slice<?> slice, PageRequest request) {
    if (!slice.hasPrevious()) {
      return null;
    }
    int previous = Math.max(0, request.page() - 1);
    String token = slice.firstSid() == null ? null : "PB" + slice.firstSid();
    return pageLink(root, request.pageSize(), previous, token);
  }

  private static String pageLink(String root, int pageSize, int page, String token) {
    String link = root + "?PageSize=" + pageSize + "&Page=" + page;
    return token == null ? link : link + "&PageToken=" + token;
  }
}
