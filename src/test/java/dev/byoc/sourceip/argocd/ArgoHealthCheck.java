package dev.byoc.sourceip.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseBaseLib;

/**
 * Runs an Argo CD Lua health check (by default deploy/argocd's SourceIpMapping check) on the JVM,
 * the way Argo CD runs it:
 *
 * <ul>
 *   <li>a fresh interpreter per evaluation with only the base, package and table libraries (Argo CD
 *       opens those and a reduced os library; no string or math library, so a script that calls
 *       them fails here too; os is left out entirely, which is stricter);
 *   <li>the object as the global {@code obj}, converted as Argo CD's {@code decodeValue} (util/lua)
 *       converts the unstructured object: JSON objects become tables keyed by string ({@code
 *       RawSetH}; a null member is absent, nil); arrays become tables indexed from 1 through
 *       gopher-lua's {@code LTable.Append}, which skips nil, so a null item is dropped and the
 *       items after it move up; every number (int64 or float64 there) is a Lua number, a double
 *       (integral values print without ".0", as in gopher-lua); strings and booleans as such;
 *   <li>the result: the returned table's {@code status} and {@code message} (a missing message is
 *       ""); a status Argo CD does not know turns into Unknown, as Argo CD does.
 * </ul>
 *
 * LuaJ implements Lua 5.2 syntax ({@code goto} compiles), so Lua 5.1 compatibility is checked
 * separately, on the script's text ({@link #lua51Violations}).
 */
public final class ArgoHealthCheck {
  /** health.lua, health_test.yaml and testdata/ of the SourceIpMapping check, Argo CD's layout. */
  public static final Path DIRECTORY =
      Path.of("deploy/argocd/resource_customizations/voice.byoc.dev/SourceIpMapping");

  public static final Path HEALTH_LUA = DIRECTORY.resolve("health.lua");

  /** The same for the IpRecord check: the same script but for its kind and wording. */
  public static final Path IP_RECORD_DIRECTORY =
      Path.of("deploy/argocd/resource_customizations/voice.byoc.dev/IpRecord");

  public static final Path IP_RECORD_HEALTH_LUA = IP_RECORD_DIRECTORY.resolve("health.lua");

  /** Argo CD's health status codes; any other status is reported as Unknown. */
  public static final Set<String> STATUSES =
      Set.of("Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** What the script said: Argo CD's HealthStatus. */
  public record Health(String status, String message) {
    @Override
    public String toString() {
      return status + ": " + message;
    }
  }

  private final String script;
  private final String name;

  private ArgoHealthCheck(String script, String name) {
    this.script = script;
    this.name = name;
  }

  /** deploy/argocd's SourceIpMapping check, read from the working directory (the project). */
  public static ArgoHealthCheck sourceIpMapping() {
    return fromFile(HEALTH_LUA);
  }

  /** deploy/argocd's IpRecord check. */
  public static ArgoHealthCheck ipRecord() {
    return fromFile(IP_RECORD_HEALTH_LUA);
  }

  public static ArgoHealthCheck fromFile(Path file) {
    try {
      return new ArgoHealthCheck(Files.readString(file), file.getFileName().toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ArgoHealthCheck fromScript(String script) {
    return new ArgoHealthCheck(script, "health.lua");
  }

  /** The health of an object as the operator or a test built it (fabric8's JSON of it). */
  public Health evaluate(HasMetadata resource) {
    return evaluateJson(SERIALIZATION.asJson(resource));
  }

  /** The health of an object in a YAML file (one document), e.g. a testdata file. */
  public Health evaluateYaml(Path file) {
    try {
      return evaluate(YAML.readTree(file.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Health evaluateJson(String json) {
    try {
      return evaluate(JSON.readTree(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Health evaluate(JsonNode object) {
    Globals globals = new Globals();
    globals.load(new JseBaseLib());
    globals.load(new PackageLib());
    globals.load(new TableLib());
    LoadState.install(globals);
    LuaC.install(globals);
    globals.set("obj", toLua(object));
    LuaValue result = globals.load(script, name).call();
    if (!result.istable()) {
      throw new IllegalStateException(
          name + " returned " + result.typename() + ", Argo CD expects a table");
    }
    LuaValue status = result.get("status");
    LuaValue message = result.get("message");
    String statusText = status.isnil() ? "" : status.tojstring();
    if (!STATUSES.contains(statusText)) {
      return new Health("Unknown", "Lua returned an invalid health status");
    }
    return new Health(statusText, message.isnil() ? "" : message.tojstring());
  }

  /** A JSON value as Argo CD hands it to Lua (see the class comment). */
  static LuaValue toLua(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return LuaValue.NIL;
    }
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        LuaValue value = toLua(field.getValue());
        if (!value.isnil()) {
          table.rawset(field.getKey(), value);
        }
      }
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      int index = 1;
      for (JsonNode item : node) {
        LuaValue value = toLua(item);
        if (!value.isnil()) {
          table.rawset(index++, value);
        }
      }
      return table;
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.doubleValue());
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.booleanValue());
    }
    return LuaValue.valueOf(node.asText());
  }

  /**
   * What in a script's text Lua 5.1 (gopher-lua) does not have, or Argo CD does not open: goto,
   * integer division, the utf8 library, attributes like {@code <const>}, and the string, math, io
   * and os libraries. Comments are ignored. Empty when there is none.
   */
  public static java.util.List<String> lua51Violations(String script) {
    String code = script.replaceAll("(?s)--\\[(=*)\\[.*?\\]\\1\\]", "").replaceAll("--[^\\n]*", "");
    java.util.List<String> found = new java.util.ArrayList<>();
    Map<String, String> patterns =
        Map.of(
            "goto", "\\bgoto\\b",
            "integer division //", "//",
            "utf8 library", "\\butf8\\s*\\.",
            "<const>/<close> attributes", "<\\s*(const|close)\\s*>",
            "string library (not opened by Argo CD)",
                "\\bstring\\s*\\.|:\\s*(len|sub|find|match|gsub|gmatch|format|lower|upper|rep|byte)\\s*\\(",
            "math library (not opened by Argo CD)", "\\bmath\\s*\\.",
            "io library", "\\bio\\s*\\.");
    patterns.forEach(
        (what, regex) -> {
          if (java.util.regex.Pattern.compile(regex).matcher(code).find()) {
            found.add(what);
          }
        });
    java.util.Collections.sort(found);
    return found;
  }
}
