package dev.byoc.sourceip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.byoc.sourceip.config.Durations;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import java.util.Objects;

/** Whether an account reports or deletes the Twilio objects no resource claims, and its guards. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PruneSpec {
  public static final String DEFAULT_GRACE_PERIOD = "1h";
  public static final int DEFAULT_MAX_DELETE_PERCENT = 10;

  @Default("Off")
  @JsonPropertyDescription(
      "Off (default): unclaimed Twilio objects are left alone. Report: the account's status names"
          + " the mappings and IP records no resource claims, with one Event each. Delete: as"
          + " Report, and each is deleted at Twilio once it has been unclaimed for gracePeriod.")
  private PruneMode mode;

  @Default(DEFAULT_GRACE_PERIOD)
  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription(
      "How long a Twilio object must stay unclaimed, as seen by consecutive lists, before Delete"
          + " removes it (Go duration, e.g. 30m, 1h, 24h; default 1h).")
  private String gracePeriod;

  @Default("10")
  @Min(1)
  @Max(100)
  @JsonPropertyDescription(
      "The most Delete removes per resync interval, as a percentage of the objects of that kind"
          + " the account holds at Twilio (at least one object): a guard against a mass delete"
          + " after a bad change in Git. Default 10.")
  private Integer maxDeletePercent;

  public PruneMode getMode() {
    return mode;
  }

  public void setMode(PruneMode mode) {
    this.mode = mode;
  }

  public String getGracePeriod() {
    return gracePeriod;
  }

  public void setGracePeriod(String gracePeriod) {
    this.gracePeriod = gracePeriod;
  }

  public Integer getMaxDeletePercent() {
    return maxDeletePercent;
  }

  public void setMaxDeletePercent(Integer maxDeletePercent) {
    this.maxDeletePercent = maxDeletePercent;
  }

  @JsonIgnore
  public PruneMode effectiveMode() {
    return mode == null ? PruneMode.Off : mode;
  }

  @JsonIgnore
  public int effectiveMaxDeletePercent() {
    return maxDeletePercent == null ? DEFAULT_MAX_DELETE_PERCENT : maxDeletePercent;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PruneSpec p
        && mode == p.mode
        && Objects.equals(gracePeriod, p.gracePeriod)
        && Objects.equals(maxDeletePercent, p.maxDeletePercent);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, gracePeriod, maxDeletePercent);
  }
}
