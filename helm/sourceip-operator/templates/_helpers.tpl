{{/* The chart name, or nameOverride. */}}
{{- define "sourceip-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The full name of the release's resources: fullnameOverride, or release-chart (just the
release name when it already contains the chart name). */}}
{{- define "sourceip-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "sourceip-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "sourceip-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sourceip-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "sourceip-operator.labels" -}}
helm.sh/chart: {{ include "sourceip-operator.chart" . }}
{{ include "sourceip-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: sourceip-operator
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* The ServiceAccount the pod runs as. */}}
{{- define "sourceip-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "sourceip-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* repository:tag, or repository@digest when a digest is given. */}}
{{- define "sourceip-operator.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* The Secret holding the TWILIO_* credentials; fails with the fix when there is none. */}}
{{- define "sourceip-operator.secretName" -}}
{{- if .Values.twilio.createSecret }}
{{- printf "%s-twilio" (include "sourceip-operator.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- else if .Values.twilio.existingSecret }}
{{- .Values.twilio.existingSecret }}
{{- else }}
{{- fail "twilio.existingSecret is required: the name of a Secret in the release namespace with TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET); or set twilio.createSecret=true with twilio.credentials" }}
{{- end }}
{{- end }}

{{/* The operator's least-privilege rules where resources are watched (every namespace, or a Role
in each watched one); with the cluster account rules, the same as deploy/rbac.yaml (a test compares
them). Secrets: list and watch only, for the informer of TwilioAccounts' credentials (labelled
voice.byoc.dev/twilio-credentials=true; RBAC cannot restrict by label, names are not known in
advance); never get, create, update or delete. */}}
{{- define "sourceip-operator.rules" -}}
- apiGroups: ["voice.byoc.dev"]
  resources: ["sourceipmappings", "iprecords", "twilioaccounts"]
  verbs: ["get", "list", "watch", "patch", "update"]
- apiGroups: ["voice.byoc.dev"]
  resources: ["sourceipmappings/status", "iprecords/status", "twilioaccounts/status"]
  verbs: ["get", "patch", "update"]
- apiGroups: ["voice.byoc.dev"]
  resources: ["sourceipmappings/finalizers", "iprecords/finalizers", "twilioaccounts/finalizers"]
  verbs: ["update"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["list", "watch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}

{{/* What ClusterTwilioAccounts need, cluster-wide, only with clusterAccounts.enabled: the kind
itself, and the namespaces' labels their namespaceSelectors are matched against. */}}
{{- define "sourceip-operator.clusterAccountRules" -}}
- apiGroups: ["voice.byoc.dev"]
  resources: ["clustertwilioaccounts"]
  verbs: ["get", "list", "watch", "patch", "update"]
- apiGroups: ["voice.byoc.dev"]
  resources: ["clustertwilioaccounts/status"]
  verbs: ["get", "patch", "update"]
- apiGroups: ["voice.byoc.dev"]
  resources: ["clustertwilioaccounts/finalizers"]
  verbs: ["update"]
- apiGroups: [""]
  resources: ["namespaces"]
  verbs: ["get", "list", "watch"]
{{- end }}

{{/* The ClusterRole of ClusterTwilioAccounts when only watchNamespaces are watched. */}}
{{- define "sourceip-operator.clusterAccountsRoleName" -}}
{{- printf "%s-cluster-accounts" (include "sourceip-operator.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The Role that lets the operator read ClusterTwilioAccounts' credentials Secrets in the release
namespace, when that namespace is not one of watchNamespaces. */}}
{{- define "sourceip-operator.credentialsRoleName" -}}
{{- printf "%s-credentials" (include "sourceip-operator.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The Service in front of the management port, for /metrics. */}}
{{- define "sourceip-operator.metricsServiceName" -}}
{{- printf "%s-metrics" (include "sourceip-operator.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The Lease the replicas compete for: leaderElection.leaseName, or the full name. */}}
{{- define "sourceip-operator.leaseName" -}}
{{- default (include "sourceip-operator.fullname" .) .Values.leaderElection.leaseName }}
{{- end }}

{{/* The Role and RoleBinding that grant the Lease. */}}
{{- define "sourceip-operator.leaseRoleName" -}}
{{- printf "%s-leader-election" (include "sourceip-operator.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The emulator's Deployment and Service (emulator.enabled). */}}
{{- define "sourceip-operator.emulatorName" -}}
{{- printf "%s-emulator" (include "sourceip-operator.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Distinct from the operator's selector: neither Deployment may adopt the other's pods. */}}
{{- define "sourceip-operator.emulatorSelectorLabels" -}}
app.kubernetes.io/name: {{ printf "%s-emulator" (include "sourceip-operator.name" .) | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "sourceip-operator.emulatorLabels" -}}
helm.sh/chart: {{ include "sourceip-operator.chart" . }}
{{ include "sourceip-operator.emulatorSelectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: twilio-emulator
app.kubernetes.io/part-of: sourceip-operator
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* The emulator's URL inside the cluster: the operator's TWILIO_BASE_URL. */}}
{{- define "sourceip-operator.emulatorUrl" -}}
{{- printf "http://%s.%s.svc:%d" (include "sourceip-operator.emulatorName" .) .Release.Namespace (int64 .Values.emulator.port) }}
{{- end }}
