{{/* The name of every object: the release's, unless overridden. */}}
{{- define "switchboard-relay.fullname" -}}
{{- .Values.fullnameOverride | default .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{- define "switchboard-relay.selectorLabels" -}}
app.kubernetes.io/name: switchboard-relay
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "switchboard-relay.labels" -}}
{{ include "switchboard-relay.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: switchboard
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end }}

{{- define "switchboard-relay.serviceAccountName" -}}
{{- .Values.serviceAccount.name | default (include "switchboard-relay.fullname" .) -}}
{{- end }}

{{/* The Secret the chart keeps what is given inline in: the database and Redis URLs, the sealing key. */}}
{{- define "switchboard-relay.secretName" -}}
{{- include "switchboard-relay.fullname" . }}-secrets
{{- end }}

{{- define "switchboard-relay.tlsSecretName" -}}
{{- .Values.tls.existingSecret | default (printf "%s-tls" (include "switchboard-relay.fullname" .)) -}}
{{- end }}

{{/* True when the chart must render its own Secret: something is given inline. */}}
{{- define "switchboard-relay.hasInlineSecrets" -}}
{{- if or (not .Values.database.existingSecret) (not .Values.redis.existingSecret) (not .Values.sealingKey.existingSecret) }}true{{ end -}}
{{- end }}
