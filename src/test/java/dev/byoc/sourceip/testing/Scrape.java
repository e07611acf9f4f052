package dev.byoc.sourceip.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** A Prometheus text-format scrape, parsed into samples: name, labels and value. */
public record Scrape(String text, List<Sample> samples) {
  private static final Pattern LINE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final OkHttpClient HTTP = new OkHttpClient();

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  public static Scrape parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new IllegalArgumentException("not a sample line: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
    }
    return new Scrape(text, List.copyOf(samples));
  }

  /** GETs {@code url} (a /metrics endpoint) and parses the answer. */
  public static Scrape get(String url) {
    try (Response response = HTTP.newCall(new Request.Builder().url(url).build()).execute()) {
      if (response.code() != 200) {
        throw new IllegalStateException(url + " answered " + response.code());
      }
      return parse(response.body().string());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The samples of a family: the name itself, or with the suffixes Prometheus adds ({@code _total},
   * {@code _count}, {@code _sum}, {@code _bucket}, {@code _max}).
   */
  public List<Sample> family(String name) {
    return samples.stream()
        .filter(
            s ->
                s.name().equals(name)
                    || (s.name().startsWith(name)
                        && Set.of("_total", "_count", "_sum", "_bucket", "_max")
                            .contains(s.name().substring(name.length()))))
        .toList();
  }

  /** The label names of a family's samples, {@code le} left out. */
  public Set<String> labelNames(String name) {
    Set<String> names = new TreeSet<>();
    family(name).forEach(s -> names.addAll(s.labels().keySet()));
    names.remove("le");
    return names;
  }

  /** The sum of the samples named exactly {@code name} whose labels include {@code match}. */
  public double sum(String name, Map<String, String> match) {
    return samples.stream()
        .filter(s -> s.name().equals(name))
        .filter(s -> s.labels().entrySet().containsAll(match.entrySet()))
        .mapToDouble(Sample::value)
        .sum();
  }

  /** How many series whose name starts with one of the prefixes. */
  public long seriesCount(String... prefixes) {
    return samples.stream()
        .filter(s -> java.util.Arrays.stream(prefixes).anyMatch(p -> s.name().startsWith(p)))
        .count();
  }
}
