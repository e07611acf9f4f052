package dev.byoc.sourceip.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/** docs/bad-input.md and the tests it cites agree: every cited test exists, every row is cited. */
class BadInputTableTest {
  static final Path DOC = Path.of("docs", "bad-input.md");
  static final Pattern CITED = Pattern.compile("`([A-Z][A-Za-z]*(?:IT|Test))#([a-zA-Z]+)`");

  @Test
  void everyBadInputItTestIsARowOfTheTable() throws IOException {
    String doc = Files.readString(DOC);
    for (Method m : BadInputIT.class.getDeclaredMethods()) {
      if (m.isAnnotationPresent(Test.class) || m.isAnnotationPresent(ParameterizedTest.class)) {
        assertThat(doc)
            .as("docs/bad-input.md cites BadInputIT#" + m.getName())
            .contains("BadInputIT#" + m.getName());
      }
    }
  }

  @Test
  void everyTestTheTableCitesExists() throws IOException {
    Matcher m = CITED.matcher(Files.readString(DOC));
    List<String> cited = new ArrayList<>();
    while (m.find()) {
      cited.add(m.group(1) + "#" + m.group(2));
      try (var files = Files.walk(Path.of("src", "test", "java"))) {
        String cls = m.group(1);
        String method = m.group(2);
        Path source =
            files
                .filter(p -> p.getFileName().toString().equals(cls + ".java"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no test class " + cls));
        assertThat(Files.readString(source))
            .as(cls + "#" + method)
            .containsPattern("void " + method + "\\(");
      }
    }
    assertThat(cited).as("citations found in " + DOC).isNotEmpty();
  }
}
