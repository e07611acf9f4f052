package dev.byoc.sourceip.twilio;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Instant;

/** The parts of an API 2010 SIP Domain the operator needs: its SID and its name. */
public record SipDomain(
    @JsonProperty("account_sid") String accountSid,
    @JsonProperty("sid") String sid,
    @JsonProperty("domain_name") String domainName,
    @JsonProperty("friendly_name") String friendlyName,
    @JsonProperty("date_created") @JsonDeserialize(using = TwilioInstantDeserializer.class)
        Instant dateCreated,
    @JsonProperty("date_updated") @JsonDeserialize(using = TwilioInstantDeserializer.class)
        Instant dateUpdated,
    @JsonProperty("uri") String uri) {}
