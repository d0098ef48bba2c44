export const USAGE = `Usage: switchboard <command> [options]

Commands:
  login   Sign in to a relay and remember it as the default
            --relay URL               the relay to sign in to (default: the current default relay)
            --device-code             sign in on another device (for machines without a browser)
            --client-id ID            sign in as a service principal (client credentials), with
            --client-secret-file F    the file holding its secret (never pass secrets as arguments)
            --scope SCOPES            scopes for the service principal (Entra ID: api://<app>/.default)
            --timeout SECONDS         how long to wait for the browser sign-in (default 300)
  logout  Sign out: remove the tokens stored for a relay (or for every relay with --all)
            --relay URL | --all
  whoami  Show who you are on a relay, the token's expiry and your groups
            --relay URL  --json
  clusters  List your clusters with their status, last seen, Kubernetes version, nodes and agent
            --relay URL
            --output table|json       (default table)
            --watch                   follow live changes until Ctrl-C: a line per change (table)
                                      or one JSON object per event (json)
  token   Print a valid bearer token for the relay on stdout (renewed when close to expiry)
            --relay URL
  proxy   Run the local proxy for kubectl in the foreground (Ctrl-C stops it and removes its kubeconfig)
            --relay URL
            --port N                  local port (default 47011; 0 for any free port)
            --next-free-port          if the port is taken, use the next free one
            --kubeconfig-out FILE     where to write its kubeconfig (default <config dir>/kubeconfig)
            --service-account-token CLUSTER=FILE   (repeatable) forward this Kubernetes token for
                                      CLUSTER instead of impersonating you
            --max-connections N       concurrent kubectl connections (default 4096); past it new
                                      ones are closed and logged
  kubeconfig  Write Switchboard's kubeconfig, or merge it into / remove it from yours
            --relay URL  --port N  --kubeconfig-out FILE
            --merge                   add Switchboard's contexts to --kubeconfig (backed up first;
                                      current-context is never changed)
            --unmerge                 remove exactly what --merge added
            --kubeconfig PATH         default: $KUBECONFIG's first entry, else ~/.kube/config
  ui      Open the Switchboard app in your browser (the desktop app without Electron); runs until Ctrl-C
            --port N                  local port for the UI (default: any free port)
            --no-open                 only print the URL (its secret opens the UI once, in one tab)

Environment:
  BROWSER                   command that opens the sign-in page and the UI's launch file (default:
                            the platform opener)
  SWITCHBOARD_CONFIG_DIR    where the account list, the encrypted token caches, the local proxy's
                            sealed identity and its kubeconfig live
  SWITCHBOARD_LOG_LEVEL     diagnostics on stderr: warn (default), info, debug
  SWITCHBOARD_RECONNECT_MAX_DELAY_MS
                            proxy: cap of the relay reconnect backoff (default 30000; tests shorten it)
`;
