package dev.byoc.sourceip.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The jar {@code mvn package} built, started as its own process with exactly the environment a test
 * gives it: nothing that configures the operator or a Kubernetes client leaks in from the shell
 * that runs the build.
 */
public final class ShippedJar {
  private ShippedJar() {}

  public static Path path() {
    Path jar = Path.of(System.getProperty("sourceip.jar", "target/sourceip-operator.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run `mvn package` first");
    }
    return jar;
  }

  /** {@code java <jvmFlags> -jar <the shipped jar> <args>}; see the other overload. */
  public static ProcessBuilder process(
      List<String> jvmFlags, List<String> args, Map<String, String> env) {
    return process(path(), jvmFlags, args, env);
  }

  /** {@code java <jvmFlags> -jar <jar> <args>} with the inherited environment cleaned, plus env. */
  public static ProcessBuilder process(
      Path jar, List<String> jvmFlags, List<String> args, Map<String, String> env) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder
        .environment()
        .keySet()
        .removeIf(
            k ->
                k.startsWith("TWILIO_")
                    || k.startsWith("SOURCEIP_")
                    || k.startsWith("KUBERNETES_")
                    || k.startsWith("JAVA_TOOL_OPTIONS")
                    || k.equals("KUBECONFIG"));
    builder.environment().putAll(env);
    // off unless the test asks: the default port 8080 would be shared by every process it starts
    builder.environment().putIfAbsent("SOURCEIP_MANAGEMENT_PORT", "0");
    return builder;
  }
}
