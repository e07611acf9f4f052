package dev.byoc.sourceip.twilio;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Instant;

/** A Voice v1 IP Record: an IPv4 address or CIDR block that traffic is recognised by. */
public record TwilioIpRecord(
    @JsonProperty("account_sid") String accountSid,
    @JsonProperty("sid") String sid,
    @JsonProperty("friendly_name") String friendlyName,
    @JsonProperty("ip_address") String ipAddress,
    @JsonProperty("cidr_prefix_length") Integer cidrPrefixLength,
    @JsonProperty("date_created") @JsonDeserialize(using = TwilioInstantDeserializer.class)
        Instant dateCreated,
    @JsonProperty("date_updated") @JsonDeserialize(using = TwilioInstantDeserializer.class)
        Instant dateUpdated,
    @JsonProperty("url") String url) {}
