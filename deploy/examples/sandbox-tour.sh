#!/usr/bin/env bash
# A tour of the sandbox with kubectl. Run it while the sandbox runs
# (java -jar target/sourceip-operator.jar sandbox), with the kubeconfig it printed:
#   KUBECONFIG=/tmp/sourceip-sandbox.../kubeconfig bash deploy/examples/sandbox-tour.sh
# Every command answers as on a real cluster; nothing is written to stderr.
set -euo pipefail

# printer columns: READY, SYNCED, SID, ...
kubectl get iprecords,sourceipmappings -A

# the schema, from the API's OpenAPI documents
kubectl explain sourceipmapping.spec.ipRecordRef

# validated on the server (no --validate=false)
kubectl apply -f - <<'YAML'
apiVersion: voice.byoc.dev/v1alpha1
kind: IpRecord
metadata: {name: office, namespace: telephony}
spec: {ipAddress: 192.0.2.44, friendlyName: office}
---
apiVersion: voice.byoc.dev/v1alpha1
kind: SourceIpMapping
metadata: {name: office, namespace: telephony}
spec:
  ipRecordRef: {name: office}
  sipDomainName: acme.sip.twilio.com
YAML
kubectl wait --for=condition=Ready --timeout=60s -n telephony iprecord/office sourceipmapping/office
kubectl get sourceipmappings -n telephony -o wide

# Events, found by field selector
kubectl describe sourceipmapping office -n telephony
kubectl get events -n telephony --field-selector involvedObject.name=office

# an invalid object is refused with the CRD schema's message (shown here on stdout)
if kubectl apply -f - 2>&1 <<'YAML'
apiVersion: voice.byoc.dev/v1alpha1
kind: SourceIpMapping
metadata: {name: broken, namespace: telephony}
spec: {ipRecordSid: ILnothex, sipDomainName: acme.sip.twilio.com}
YAML
then
  echo "unexpected: the invalid mapping was accepted"
  exit 1
fi

# delete waits until the operator has deleted them at Twilio and removed its finalizer
kubectl delete -n telephony sourceipmapping/office iprecord/office --wait --timeout=60s
