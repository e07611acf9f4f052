package dev.byoc.sourceip.secretscan;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One way a secret can show up in text: as it is, URL-encoded, base64, or inside the base64 of a
 * Basic-auth {@code user:secret}. The label names the secret and the form, never the value.
 */
record SecretForm(String label, String text) {

  /** Every form of {@code secret}, with a Basic-auth form for each of {@code users}. */
  static List<SecretForm> of(String name, String secret, List<String> users) {
    List<SecretForm> forms = new ArrayList<>();
    forms.add(new SecretForm(name + " (raw)", secret));
    String urlEncoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
    if (!urlEncoded.equals(secret)) {
      forms.add(new SecretForm(name + " (URL-encoded)", urlEncoded));
    }
    forms.add(new SecretForm(name + " (base64)", base64(secret)));
    for (String user : users) {
      forms.add(
          new SecretForm(
              name + " (Basic auth base64 of " + user + ":…)", base64(user + ":" + secret)));
    }
    return forms;
  }

  /** Unpadded: the padding depends on what follows when the value is part of a longer text. */
  private static String base64(String text) {
    return Base64.getEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
