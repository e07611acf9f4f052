package dev.byoc.sourceip.deploy;

import static dev.byoc.sourceip.deploy.K8sObjects.one;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.byoc.sourceip.bench.Benchmark;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * One set of container JVM flags: the pom's {@code container.jvmFlags} is what the image's
 * entrypoint runs (Jib), what the benchmark runs and what its newest committed results say they ran
 * with; the manifests' and the chart's memory limit holds what those flags let the JVM take plus
 * the native memory the benchmark measured beside them.
 */
class JvmFlagsTest {
  static final Path POM = Path.of("pom.xml");
  static final Path RESULTS = Path.of("bench", "results");
  static final ObjectMapper JSON = new ObjectMapper();
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final long MIB = 1024 * 1024;

  /** The single source: the pom's container.jvmFlags, comma-separated. */
  static List<String> singleSource() throws Exception {
    String flags = xpath(pom(), "/project/properties/container.jvmFlags").getTextContent();
    return Arrays.stream(flags.split(",")).map(String::trim).filter(f -> !f.isEmpty()).toList();
  }

  @Test
  void theSingleSourceIsAFixedHeapWithCappedNativeMemory() throws Exception {
    List<String> flags = singleSource();

    assertThat(flags)
        .contains("-XX:+ExitOnOutOfMemoryError")
        .anyMatch(f -> f.startsWith("-Xmx"))
        .anyMatch(f -> f.startsWith("-XX:MaxMetaspaceSize="))
        .anyMatch(f -> f.startsWith("-XX:ReservedCodeCacheSize="))
        .noneMatch(f -> f.contains("RAMPercentage"))
        .doesNotHaveDuplicates();
  }

  @Test
  void theImageRunsTheSingleSource() throws Exception {
    Document pom = pom();
    String jib =
        "/project/profiles/profile[id='image']/build/plugins/plugin"
            + "[artifactId='jib-maven-plugin']/configuration/container";

    Element jvmFlags = (Element) xpath(pom, jib + "/jvmFlags");
    assertThat(jvmFlags.getElementsByTagName("*").getLength())
        .as("no <jvmFlag> of its own: Maven splits the property at its commas into Jib's list")
        .isZero();
    assertThat(jvmFlags.getTextContent().trim()).isEqualTo("${container.jvmFlags}");
    Node environment = xpath(pom, jib + "/environment");
    assertThat(environment.getTextContent())
        .as("no JVM options from the image's environment")
        .doesNotContain("-XX", "-Xm");
    for (String variable : Management.JVM_OPTION_VARIABLES) {
      assertThat(xpath(pom, jib + "/environment/" + variable)).as(variable).isNull();
    }
  }

  @Test
  void theBenchmarkRunsTheSingleSource() throws Exception {
    assertThat(Benchmark.CONTAINER_JVM_FLAGS).isEqualTo(singleSource());
    assertThat(Benchmark.containerJvmFlags()).isEqualTo(singleSource());
  }

  @Test
  void theNewestCommittedResultsRanWithTheSingleSource() throws Exception {
    JsonNode newest = newestResults();

    assertThat(flagsOf(newest)).isEqualTo(singleSource());
  }

  @Test
  void theReadmeDocumentsTheSingleSource() throws Exception {
    String readme = Files.readString(Path.of("README.md")).replaceAll("\\s+", " ");

    assertThat(readme).contains(String.join(" ", singleSource()));
  }

  @Test
  void theMemoryLimitHoldsTheJvmAndTheMeasuredNativeMemory() throws Exception {
    ResourceRequirements plain =
        Management.container(
                one(
                    K8sObjects.read(PlainManifestsTest.DEPLOY.resolve("operator.yaml")),
                    Deployment.class))
            .getResources();
    JsonNode values = YAML.readTree(HelmChartTest.CHART.resolve("values.yaml").toFile());
    Map<String, String> chartLimits =
        YAML.convertValue(values.path("resources").path("limits"), Map.class);
    Map<String, String> chartRequests =
        YAML.convertValue(values.path("resources").path("requests"), Map.class);

    long minimum = minimumMemoryLimitMiB();
    long peak = measuredPeakRssMiB();
    assertThat(mib(plain.getLimits().get("memory")))
        .as("deploy/ limit")
        .isGreaterThanOrEqualTo(minimum);
    assertThat(mib(new Quantity(chartLimits.get("memory"))))
        .as("the chart's limit")
        .isGreaterThanOrEqualTo(minimum);
    assertThat(mib(plain.getRequests().get("memory")))
        .as("deploy/ request: at least the measured peak RSS")
        .isGreaterThanOrEqualTo(peak);
    assertThat(mib(new Quantity(chartRequests.get("memory"))))
        .as("the chart's request: at least the measured peak RSS")
        .isGreaterThanOrEqualTo(peak);
  }

  /**
   * Heap, metaspace and code cache at the caps the flags set, plus the largest native memory
   * besides those the newest results measured (RSS minus committed heap minus metaspace: thread
   * stacks, GC structures, buffers, and the code cache actually used, so counted twice).
   */
  static long minimumMemoryLimitMiB() throws Exception {
    List<String> flags = singleSource();
    long caps =
        sizeMiB(flags, "-Xmx")
            + sizeMiB(flags, "-XX:MaxMetaspaceSize=")
            + sizeMiB(flags, "-XX:ReservedCodeCacheSize=");
    List<Long> otherNative = new ArrayList<>();
    collectOtherNative(newestResults().path("runs"), otherNative);
    assertThat(otherNative).as("memory samples in the results").isNotEmpty();
    return caps + otherNative.stream().max(Comparator.naturalOrder()).orElseThrow();
  }

  static long measuredPeakRssMiB() throws Exception {
    long peak = 0;
    for (JsonNode run : newestResults().path("runs")) {
      peak = Math.max(peak, run.path("operatorPeakRssMiB").asLong());
    }
    assertThat(peak).as("operatorPeakRssMiB in the results").isPositive();
    return peak;
  }

  private static void collectOtherNative(JsonNode node, List<Long> into) {
    if (node.has("rssMiB") && node.has("heapCommittedMiB") && node.has("metaspaceMiB")) {
      into.add(
          node.get("rssMiB").asLong()
              - node.get("heapCommittedMiB").asLong()
              - node.get("metaspaceMiB").asLong());
    }
    node.forEach(child -> collectOtherNative(child, into));
  }

  /** The newest results (by their date) among bench/results/*.json that record their flags. */
  static JsonNode newestResults() throws IOException {
    List<JsonNode> recorded = new ArrayList<>();
    try (Stream<Path> files = Files.list(RESULTS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        JsonNode results = JSON.readTree(file.toFile());
        if (results.path("settings").path("operatorJvmFlags").isArray()) {
          recorded.add(results);
        }
      }
    }
    return recorded.stream()
        .max(Comparator.comparing(r -> r.path("date").asText()))
        .orElseThrow(() -> new AssertionError("no results in " + RESULTS + " record their flags"));
  }

  private static List<String> flagsOf(JsonNode results) {
    List<String> flags = new ArrayList<>();
    results.path("settings").path("operatorJvmFlags").forEach(f -> flags.add(f.asText()));
    return flags;
  }

  private static long sizeMiB(List<String> flags, String prefix) {
    String value =
        flags.stream()
            .filter(f -> f.startsWith(prefix))
            .reduce((a, b) -> b) // the JVM takes the last one
            .orElseThrow(() -> new AssertionError("no " + prefix + " in " + flags))
            .substring(prefix.length())
            .toLowerCase(Locale.ROOT);
    long number = Long.parseLong(value.replaceAll("[kmg]$", ""));
    return switch (value.charAt(value.length() - 1)) {
      case 'g' -> number * 1024;
      case 'm' -> number;
      case 'k' -> (number + 1023) / 1024;
      default -> (number + MIB - 1) / MIB;
    };
  }

  private static long mib(Quantity quantity) {
    return Quantity.getAmountInBytes(quantity).divide(BigDecimal.valueOf(MIB)).longValue();
  }

  private static Document pom() throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(POM.toFile());
  }

  private static Node xpath(Document document, String expression) throws Exception {
    return (Node)
        XPathFactory.newInstance().newXPath().evaluate(expression, document, XPathConstants.NODE);
  }
}
