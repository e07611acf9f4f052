package dev.byoc.sourceip.export;

import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import dev.byoc.sourceip.twilio.SipDomain;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The domain name a mapping can name its SIP domain by instead of its SID: only one the spec
 * accepts and that resolves back to that one domain, so that applying it never picks another.
 */
final class SipDomainNames {
  private static final Pattern NAME = Pattern.compile(SourceIpMappingSpec.SIP_DOMAIN_NAME_PATTERN);

  private final Map<String, String> namesBySid = new HashMap<>();

  SipDomainNames(Collection<SipDomain> listed) {
    Map<String, Long> uses =
        listed.stream()
            .map(SipDomain::domainName)
            .filter(SipDomainNames::acceptable)
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    for (SipDomain d : listed) {
      if (uses.getOrDefault(d.domainName(), 0L) == 1) {
        namesBySid.put(d.sid(), d.domainName());
      }
    }
  }

  /** The name to write for {@code sipDomainSid}, when the account listed that domain. */
  Optional<String> nameOf(String sipDomainSid) {
    return Optional.ofNullable(namesBySid.get(sipDomainSid));
  }

  private static boolean acceptable(String domainName) {
    return domainName != null
        && domainName.length() <= SourceIpMappingSpec.SIP_DOMAIN_NAME_MAX_LENGTH
        && NAME.matcher(domainName).matches();
  }
}
