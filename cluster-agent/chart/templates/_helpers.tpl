{{/* Labels on every object; the same as the relay's `clusters manifests`. */}}
{{- define "switchboard-agent.labels" -}}
app.kubernetes.io/name: switchboard-agent
app.kubernetes.io/part-of: switchboard
switchboard.dev/cluster: {{ required "clusterName is required" .Values.clusterName | quote }}
{{- end }}

{{- define "switchboard-agent.selector" -}}
app.kubernetes.io/name: switchboard-agent
{{- end }}

{{/* The relay URL's port (explicit, or the scheme's). */}}
{{- define "switchboard-agent.portOf" -}}
{{- $url := urlParse . -}}
{{- $port := regexFind ":[0-9]+$" $url.host | trimPrefix ":" -}}
{{- if $port }}{{ $port }}{{ else if eq $url.scheme "http" }}80{{ else }}443{{ end -}}
{{- end }}
