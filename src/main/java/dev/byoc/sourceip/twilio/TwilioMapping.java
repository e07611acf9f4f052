package dev.byoc.sourceip.twilio;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Instant;

/** A Voice v1 Source IP Mapping: SIP traffic from an IP record goes to a SIP domain. */
public record TwilioMapping(
    @JsonProperty("sid") String sid,
    @JsonProperty("ip_record_sid") String ipRecordSid,
    @JsonProperty("sip_domain_sid") String sipDomainSid,
    @JsonProperty("date_created") @JsonDeserialize(using = TwilioInstantDeserializer.class)
        Instant dateCreated,
    @JsonProperty("date_updated") @JsonDeserialize(using = TwilioInstantDeserializer.class)
        Instant dateUpdated,
    @JsonProperty("url") String url) {}
