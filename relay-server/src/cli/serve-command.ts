/** `switchboard-relay serve`: runs the relay until SIGINT or SIGTERM. */
import { parseArgs } from 'node:util';
import { ENV_VARIABLE_NAMES, loadRelayConfig, numberFromText } from '../config/load.js';
import { startRelay } from '../relay.js';
import { usageErrors, withoutPassword } from './arguments.js';
import { UsageError } from './cli-error.js';

export const SERVE_USAGE = `usage: switchboard-relay serve --listen HOST:PORT --data DIR [--config FILE] [--public-url URL]
                              [--sealing-key-file FILE] [--log-level LEVEL]
                              [--database URL [--redis URL] [--replica-id ID] [--peer-url URL]]
                              [--dev-idp [--dev-idp-users FILE] [--dev-idp-token-ttl SECONDS]]

  --listen HOST:PORT     address to serve on (PORT 0 picks a free port); plain HTTP only on loopback
  --data DIR             directory of the relay database
  --config FILE          YAML configuration; flags override SWITCHBOARD_RELAY_* variables override it
  --public-url URL       the URL clients reach the relay at, when not the listen address
  --sealing-key-file FILE
                         the key sealing ticket keys in the database (32 random bytes, base64), shared
                         by every replica; DIR/sealing.key, made on first start, otherwise
  --database URL         a Postgres registry (postgres://USER@HOST:PORT/DB) instead of SQLite in DIR; the
                         password goes in SWITCHBOARD_RELAY_DATABASE, PGPASSWORD or ~/.pgpass, not here
  --redis URL            Redis for a fleet of replicas behind one load balancer (see docs/scaling.md);
                         a password goes in SWITCHBOARD_RELAY_REDIS, not here
  --replica-id ID        this replica's name in the fleet (default: host name and a random suffix)
  --peer-url URL         where the other replicas reach this one (default: the listen address)
  --log-level LEVEL      fatal, error, warn, info (default), debug, trace or silent
  --dev-idp              serve a development OpenID provider at <url>/dev-idp and trust it (demos, tests)
  --dev-idp-users FILE   its users and CI service principals (YAML); the demo users alice and bob otherwise
  --dev-idp-token-ttl SECONDS
                         lifetime of its access tokens (default 600)

Environment variables (lists are comma- or space-separated):
  ${ENV_VARIABLE_NAMES.join('\n  ')}

Prints "ready <url>" on standard output once it serves; logs go to standard error.`;

export async function serveCommand(args: string[], print: (text: string) => void): Promise<void> {
  const { values, positionals } = usageErrors(() =>
    parseArgs({
      args,
      options: {
        listen: { type: 'string' },
        data: { type: 'string' },
        config: { type: 'string' },
        'public-url': { type: 'string' },
        'sealing-key-file': { type: 'string' },
        'log-level': { type: 'string' },
        database: { type: 'string' },
        redis: { type: 'string' },
        'replica-id': { type: 'string' },
        'peer-url': { type: 'string' },
        'dev-idp': { type: 'boolean' },
        'dev-idp-users': { type: 'string' },
        'dev-idp-token-ttl': { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    }),
  );
  if (positionals.length > 0) throw new UsageError(`serve takes no arguments, got "${positionals[0]}"`);

  const flags: Record<string, unknown> = {
    listen: values.listen,
    dataDir: values.data,
    publicUrl: values['public-url'],
    sealingKeyFile: values['sealing-key-file'],
    logLevel: values['log-level'],
    database: withoutPassword('--database', values.database),
    redis: withoutPassword('--redis', values.redis),
    fleet: { replicaId: values['replica-id'], peerUrl: values['peer-url'] },
  };
  const tokenTtl = values['dev-idp-token-ttl'];
  if (values['dev-idp'] || values['dev-idp-users'] !== undefined || tokenTtl !== undefined) {
    flags.devIdp = {
      enabled: values['dev-idp'],
      usersFile: values['dev-idp-users'],
      accessTokenTtlSeconds: tokenTtl === undefined ? undefined : numberFromText(tokenTtl),
    };
  }
  const config = await loadRelayConfig({ file: values.config, env: process.env, flags });
  const relay = await startRelay(config);
  if (relay.devIdp) {
    const { DEV_IDP_BANNER } = await import('../dev-idp/index.js');
    process.stderr.write(`${DEV_IDP_BANNER}\n`);
  }
  // Listening for the signals before saying "ready": a supervisor (or test) that stops the relay
  // as soon as it reads the line would otherwise kill it before it could close cleanly.
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      relay.logger.info({ signal }, 'stopping');
      relay.close().then(resolve, (error: Error) => {
        relay.logger.error({ err: error }, 'unclean stop');
        process.exitCode = 1;
        resolve();
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  print(`ready ${relay.url}`);
  await stopped;
}
