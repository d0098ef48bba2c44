#!/usr/bin/env node
/**
 * `SWITCHBOARD_JOIN_TOKEN=T switchboard-agent --relay URL [--kubeconfig FILE] [--state-dir DIR] …`
 *
 * Every flag has an environment variable. The join token is taken only from the environment or a
 * file, never from the command line, where every local user sees it (`ps`, /proc/PID/cmdline).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type AgentOptions, type RunningAgent, startAgent } from '../agent.js';
import { createLogger, LOG_LEVELS, type LogLevel } from '../logger.js';
import { DEFAULT_MAX_UPSTREAM_CONNECTIONS } from '../proxy/apiserver-proxy.js';
import { AGENT_VERSION } from '../version.js';

const USAGE = `Usage: [SWITCHBOARD_JOIN_TOKEN=TOKEN] switchboard-agent --relay URL [options]

Dials out to a Switchboard relay and serves this cluster's Kubernetes API to signed-in users.

  --relay URL               the relay's URL (env SWITCHBOARD_RELAY_URL)
  --join-token-file FILE    the single-use join token for the first start, read from FILE
                            (or the token itself in env SWITCHBOARD_JOIN_TOKEN; never on the
                            command line, where \`ps\` shows it to every local user); later starts
                            reuse the stored credential (rotated automatically) and ignore the
                            spent token; a new token (after \`switchboard-relay clusters rejoin\`)
                            joins again and replaces the stored credential
  --cluster NAME            the relay's name for this cluster, to check the credential against
                            (env SWITCHBOARD_CLUSTER_NAME; the install manifests set it)
  --kubeconfig FILE         out of cluster: the apiserver and the agent's credential (env KUBECONFIG);
                            in a pod the ServiceAccount is used when this is not given
  --context NAME            kubeconfig context (default: its current-context)
  --state-dir DIR           out of cluster: where the credential is kept
                            (env SWITCHBOARD_STATE_DIR, default ~/.local/state/switchboard-agent)
  --state-secret NAME       keep the credential in this Secret (default in a pod:
                            switchboard-agent-credential; env SWITCHBOARD_STATE_SECRET)
  --state-secret-namespace NS
                            namespace of that Secret (default: the agent's own; env POD_NAMESPACE)
  --ca-file FILE            PEM roots for the relay's certificate (env SWITCHBOARD_RELAY_CA_FILE)
  --sessions N              parallel sessions to the relay (default 1; env SWITCHBOARD_SESSIONS)
  --heartbeat-interval DURATION
                            how often each session reports the cluster's metadata to the relay,
                            e.g. 30s, 5m (default 60s; env SWITCHBOARD_HEARTBEAT_INTERVAL)
  --health-listen HOST:PORT serve /healthz and /readyz (probes) there, e.g. 0.0.0.0:8080
                            (default: not served; env SWITCHBOARD_HEALTH_LISTEN)
  --log-level LEVEL         ${LOG_LEVELS.join(', ')} (default info; env SWITCHBOARD_LOG_LEVEL)
  --reconnect-max-delay MS  cap of the reconnect backoff in milliseconds (default 30000; tests and
                            demos shorten it; env SWITCHBOARD_RECONNECT_MAX_DELAY_MS)
  --max-upstream-connections N
                            requests in flight to the apiserver plus open exec/attach/port-forward
                            sessions, for all users together; past it requests get a 503 (default
                            ${DEFAULT_MAX_UPSTREAM_CONNECTIONS}; env SWITCHBOARD_MAX_UPSTREAM_CONNECTIONS)
  --version, --help

HTTPS_PROXY / HTTP_PROXY / NO_PROXY apply to the connection to the relay.`;

class UsageError extends Error {}

function parse(
  argv: string[],
  env: NodeJS.ProcessEnv,
): { options: AgentOptions; logLevel: LogLevel } | 'help' | 'version' {
  const { values } = parseArgs({
    args: argv,
    options: {
      relay: { type: 'string' },
      // Still parsed, to refuse it with a message that says how to pass the token instead.
      'join-token': { type: 'string' },
      'join-token-file': { type: 'string' },
      cluster: { type: 'string' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      'state-dir': { type: 'string' },
      'state-secret': { type: 'string' },
      'state-secret-namespace': { type: 'string' },
      'ca-file': { type: 'string' },
      sessions: { type: 'string' },
      'log-level': { type: 'string' },
      'reconnect-max-delay': { type: 'string' },
      'max-upstream-connections': { type: 'string' },
      'heartbeat-interval': { type: 'string' },
      'health-listen': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  if (values.version) return 'version';
  const relay = values.relay ?? env.SWITCHBOARD_RELAY_URL;
  if (!relay) throw new UsageError('--relay is required');
  const logLevel = (values['log-level'] ?? env.SWITCHBOARD_LOG_LEVEL ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel))
    throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  const sessionsText = values.sessions ?? env.SWITCHBOARD_SESSIONS;
  const sessions = sessionsText === undefined ? 1 : Number(sessionsText);
  if (!Number.isInteger(sessions) || sessions < 1 || sessions > 16) {
    throw new UsageError('--sessions must be an integer from 1 to 16');
  }
  const capText = values['reconnect-max-delay'] ?? env.SWITCHBOARD_RECONNECT_MAX_DELAY_MS;
  const capMs = capText === undefined ? undefined : Number(capText);
  if (capMs !== undefined && (!Number.isInteger(capMs) || capMs < 1 || capMs > 300_000)) {
    throw new UsageError('--reconnect-max-delay must be a number of milliseconds from 1 to 300000');
  }
  const upstreamText = values['max-upstream-connections'] ?? env.SWITCHBOARD_MAX_UPSTREAM_CONNECTIONS;
  const maxUpstreamConnections = upstreamText === undefined ? undefined : Number(upstreamText);
  if (
    maxUpstreamConnections !== undefined &&
    (!Number.isInteger(maxUpstreamConnections) ||
      maxUpstreamConnections < 1 ||
      maxUpstreamConnections > 65_536)
  ) {
    throw new UsageError('--max-upstream-connections must be an integer from 1 to 65536');
  }
  const heartbeatText = values['heartbeat-interval'] ?? env.SWITCHBOARD_HEARTBEAT_INTERVAL;
  const heartbeatIntervalMs = heartbeatText === undefined ? undefined : parseInterval(heartbeatText);
  if (
    heartbeatIntervalMs !== undefined &&
    !(heartbeatIntervalMs >= 100 && heartbeatIntervalMs <= 3_600_000)
  ) {
    throw new UsageError(
      `--heartbeat-interval must be a duration from 100ms to 1h such as 30s or 5m, got "${heartbeatText}"`,
    );
  }
  const healthListen = values['health-listen'] ?? env.SWITCHBOARD_HEALTH_LISTEN;
  const caFile = values['ca-file'] ?? env.SWITCHBOARD_RELAY_CA_FILE;
  let relayCa: string | undefined;
  if (caFile) {
    try {
      relayCa = readFileSync(caFile, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read --ca-file ${caFile}: ${(error as Error).message}`);
    }
  }
  // KUBECONFIG may list several files; the agent reads the first.
  const kubeconfig = values.kubeconfig ?? env.KUBECONFIG?.split(':').find(Boolean);
  const joinToken = readJoinToken(values, env);
  const expectedCluster = values.cluster ?? env.SWITCHBOARD_CLUSTER_NAME;
  const stateDir = values['state-dir'] ?? env.SWITCHBOARD_STATE_DIR;
  const secretName = values['state-secret'] ?? env.SWITCHBOARD_STATE_SECRET;
  const secretNamespace = values['state-secret-namespace'] ?? env.POD_NAMESPACE;
  const options: AgentOptions = {
    relay,
    sessions,
    ...(joinToken && { joinToken }),
    ...(expectedCluster && { expectedCluster }),
    ...(kubeconfig && { kubeconfig }),
    ...(values.context && { context: values.context }),
    ...(stateDir && { stateDir }),
    ...(relayCa !== undefined && { relayCa }),
    ...(capMs !== undefined && { backoff: { capMs, baseMs: Math.min(500, capMs) } }),
    ...(heartbeatIntervalMs !== undefined && { heartbeatIntervalMs }),
    ...(maxUpstreamConnections !== undefined && { maxUpstreamConnections }),
    ...(healthListen && { healthListen }),
    ...((secretName || values['state-secret-namespace']) && {
      stateSecret: {
        ...(secretName && { name: secretName }),
        ...(secretNamespace && { namespace: secretNamespace }),
      },
    }),
  };
  if (!options.stateSecret && secretNamespace && !kubeconfig) {
    options.stateSecret = { namespace: secretNamespace };
  }
  return { options, logLevel };
}

/**
 * The join token from `--join-token-file` or `SWITCHBOARD_JOIN_TOKEN`. On the command line it is
 * refused: by the time the agent runs, `ps` has shown it to every local user, so the message also
 * says to issue a fresh one.
 */
function readJoinToken(
  values: { 'join-token'?: string; 'join-token-file'?: string },
  env: NodeJS.ProcessEnv,
): string | undefined {
  if (values['join-token'] !== undefined) {
    throw new UsageError(
      '--join-token is not accepted: a token on the command line is visible to every local user (ps, /proc). ' +
        'Pass it in the environment variable SWITCHBOARD_JOIN_TOKEN or in a file with --join-token-file FILE, ' +
        'and issue a fresh one (switchboard-relay clusters join-token NAME): treat this one as seen.',
    );
  }
  const file = values['join-token-file'];
  if (file === undefined) return env.SWITCHBOARD_JOIN_TOKEN || undefined;
  if (env.SWITCHBOARD_JOIN_TOKEN) {
    throw new UsageError('give the join token once: --join-token-file or SWITCHBOARD_JOIN_TOKEN, not both');
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --join-token-file ${file}: ${(error as Error).message}`);
  }
  // Files written by editors or `echo` end with a newline; a token never contains whitespace.
  const token = text.trim();
  if (!token) throw new UsageError(`--join-token-file ${file} is empty`);
  return token;
}

/** `500ms`, `30s`, `5m`, `1h`, or plain seconds, as milliseconds; NaN when not a duration. */
function parseInterval(text: string): number {
  const match = /^(\d+)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) return Number.NaN;
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[match[2] ?? 's']!;
  return Number(match[1]) * unit;
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`switchboard-agent: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (parsed === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (parsed === 'version') {
    process.stdout.write(`${AGENT_VERSION}\n`);
    return 0;
  }
  const logger = createLogger(parsed.logLevel);
  let agent: RunningAgent;
  try {
    agent = await startAgent({ ...parsed.options, logger });
  } catch (error) {
    logger.fatal({ err: (error as Error).message }, 'the agent cannot start');
    return 1;
  }
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        resolve(1);
        return;
      }
      stopping = true;
      logger.info({ signal }, 'stopping: draining sessions');
      agent.close({ graceMs: 10_000 }).then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}

main().then(
  (code) => {
    process.exitCode = code;
    // Keep-alive pools and timers must not hold the process once the agent has stopped.
    setTimeout(() => process.exit(code), 1_000).unref();
  },
  (error: Error) => {
    process.stderr.write(`switchboard-agent: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
