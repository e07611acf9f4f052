package dev.byoc.sourceip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/** How hard the operator may press one account; unset values are the operator's settings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AccountLimits {
  @Min(1)
  @Max(10000)
  @JsonPropertyDescription(
      "Most requests to this account in flight at once: the ceiling of the adaptive limit."
          + " Default: the operator's TWILIO_MAX_CONCURRENT_REQUESTS.")
  private Integer maxConcurrentRequests;

  @Min(1)
  @Max(100000)
  @JsonPropertyDescription(
      "Most requests to this account started per second. Default: the operator's"
          + " TWILIO_MAX_REQUESTS_PER_SECOND.")
  private Integer requestsPerSecond;

  public Integer getMaxConcurrentRequests() {
    return maxConcurrentRequests;
  }

  public void setMaxConcurrentRequests(Integer maxConcurrentRequests) {
    this.maxConcurrentRequests = maxConcurrentRequests;
  }

  public Integer getRequestsPerSecond() {
    return requestsPerSecond;
  }

  public void setRequestsPerSecond(Integer requestsPerSecond) {
    this.requestsPerSecond = requestsPerSecond;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AccountLimits l
        && Objects.equals(maxConcurrentRequests, l.maxConcurrentRequests)
        && Objects.equals(requestsPerSecond, l.requestsPerSecond);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxConcurrentRequests, requestsPerSecond);
  }
}
