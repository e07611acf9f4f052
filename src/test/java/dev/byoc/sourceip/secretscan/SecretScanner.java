package dev.byoc.sourceip.secretscan;

import dev.byoc.sourceip.KnownSecrets;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads every line of every file under some folders and reports each line holding a known secret in
 * any of its forms, by file, line and form, showing the line with every secret replaced.
 */
public final class SecretScanner {
  private static final int SHOWN = 160;

  private final List<SecretForm> forms;

  SecretScanner(List<SecretForm> forms) {
    this.forms = List.copyOf(forms);
  }

  /** Looks for every form of every secret of {@link KnownSecrets}. */
  public static SecretScanner forKnownSecrets() {
    List<SecretForm> forms = new ArrayList<>();
    KnownSecrets.secrets()
        .forEach((name, value) -> forms.addAll(SecretForm.of(name, value, KnownSecrets.users())));
    return new SecretScanner(forms);
  }

  /** The labels of the forms of secrets that {@code text} holds; empty when it holds none. */
  public List<String> formsIn(String text) {
    return forms.stream().filter(f -> text.contains(f.text())).map(SecretForm::label).toList();
  }

  /** A line that holds a secret: where, which forms, and the line with them redacted. */
  public record Finding(Path file, long line, List<String> labels, String redacted) {
    @Override
    public String toString() {
      return file + ":" + line + ": " + String.join(", ", labels) + "\n    " + redacted;
    }
  }

  /** How much was read, and what was found. */
  public record Result(int files, long lines, List<Finding> findings) {}

  /** Scans every regular file under the roots (a missing root is skipped). */
  public Result scan(List<Path> roots) {
    int files = 0;
    long lines = 0;
    List<Finding> findings = new ArrayList<>();
    for (Path root : roots) {
      if (!Files.exists(root)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(root)) {
        for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
          files++;
          lines += scanFile(file, findings);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new Result(files, lines, findings);
  }

  private long scanFile(Path file, List<Finding> findings) throws IOException {
    long n = 0;
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                Files.newInputStream(file),
                StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)))) {
      for (String line; (line = in.readLine()) != null; ) {
        n++;
        Finding finding = scanLine(file, n, line);
        if (finding != null) {
          findings.add(finding);
        }
      }
    }
    return n;
  }

  /** The finding for one line, or null when the line holds no secret. */
  Finding scanLine(Path file, long number, String line) {
    List<String> labels = new ArrayList<>();
    String redacted = line;
    int first = -1;
    for (SecretForm form : forms) {
      int at = line.indexOf(form.text());
      if (at >= 0) {
        labels.add(form.label());
        first = first < 0 ? at : Math.min(first, at);
        redacted = redacted.replace(form.text(), "[" + form.label() + "]");
      }
    }
    if (labels.isEmpty()) {
      return null;
    }
    String shown = excerpt(redacted, first);
    for (SecretForm form : forms) {
      if (shown.contains(form.text())) { // forms overlapped and one survived the replacements
        shown = "(line not shown: overlapping secrets)";
      }
    }
    return new Finding(file, number, labels, shown);
  }

  /** Part of a long redacted line around where the first secret was. */
  private static String excerpt(String redacted, int around) {
    if (redacted.length() <= SHOWN) {
      return redacted;
    }
    int start = Math.max(0, Math.min(around - SHOWN / 4, redacted.length() - SHOWN));
    return (start > 0 ? "…" : "")
        + redacted.substring(start, start + SHOWN)
        + (start + SHOWN < redacted.length() ? "…" : "");
  }
}
