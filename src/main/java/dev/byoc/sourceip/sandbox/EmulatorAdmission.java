package dev.byoc.sourceip.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.TwilioAccount;
import dev.byoc.sourceip.emulator.EmulatorAccount;
import dev.byoc.sourceip.emulator.TwilioEmulator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Readies the sandbox's emulator for what kubectl applies, before the operator can see it: the
 * account a labelled credentials Secret names joins the emulator (with its token), and the SIP
 * domains and IP records a mapping names by SID or domain name are seeded in the account the
 * mapping will use, as they are for the manifests of the sandbox's directory.
 */
final class EmulatorAdmission implements Discovery.Admission {
  private final TwilioEmulator emulator;
  private final String ownAccount;
  private final KubernetesSerialization serialization = new KubernetesSerialization();

  /**
   * @param ownAccount the sandbox operator's own account, whose token no Secret replaces
   */
  EmulatorAdmission(TwilioEmulator emulator, String ownAccount) {
    this.emulator = emulator;
    this.ownAccount = ownAccount;
  }

  @Override
  public void admit(JsonNode object, Function<String, List<JsonNode>> list) {
    String kind = object.path("kind").asText("");
    String namespace = object.path("metadata").path("namespace").asText("default");
    if (kind.equals("Secret")) {
      new ManifestAccounts(List.of(serialization.convertValue(object, Secret.class)))
          .credentials().values().stream()
              .filter(c -> !c.accountSid().equals(ownAccount))
              .forEach(c -> emulator.addAccount(c.accountSid(), c.password()));
    } else if (kind.equals("SourceIpMapping")) {
      SourceIpMapping mapping = serialization.convertValue(object, SourceIpMapping.class);
      List<HasMetadata> around = new ArrayList<>();
      list.apply("/api/v1/namespaces/" + namespace + "/secrets")
          .forEach(s -> around.add(serialization.convertValue(s, Secret.class)));
      list.apply(
              "/apis/"
                  + HasMetadata.getApiVersion(TwilioAccount.class)
                  + "/namespaces/"
                  + namespace
                  + "/twilioaccounts")
          .forEach(a -> around.add(serialization.convertValue(a, TwilioAccount.class)));
      String account = new ManifestAccounts(around).accountOf(mapping, ownAccount);
      boolean known =
          emulator.accounts().stream().map(EmulatorAccount::sid).anyMatch(account::equals);
      if (known) {
        Seeder.seed(emulator, account, Seeder.plan(List.of(mapping), List.of()));
      }
    }
  }
}
