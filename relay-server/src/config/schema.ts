/**
 * The relay's configuration: one zod schema, so that a file, the environment and flags are all
 * checked the same way and an error names the field that is wrong.
 */
import { z } from 'zod';
import { isLoopbackHost, isWildcardHost, parseListenAddress } from './listen-address.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** MAJOR.MINOR.PATCH with optional pre-release and build (semver.org), an optional leading "v". */
const SEMVER = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

const nonEmpty = z.string().min(1, 'must not be empty');

/** Tokens are only as trustworthy as the channel their keys come over; plain http is for local issuers. */
const issuerUrl = z.string().superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be an https URL' });
    return;
  }
  const plainLoopback = url.protocol === 'http:' && isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !plainLoopback) {
    ctx.addIssue({ code: 'custom', message: 'must be an https URL (http only for a loopback issuer)' });
  } else if (url.search || url.hash) {
    ctx.addIssue({ code: 'custom', message: 'must not have a query or fragment' });
  }
});

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const stringList = z.array(nonEmpty);

/** A URL of one of the given schemes, refused when it is not (the value may hold a password: never echoed). */
function urlOfScheme(schemes: readonly string[], example: string) {
  return z.string().superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be a URL such as ${example}` });
      return;
    }
    if (!schemes.includes(url.protocol.slice(0, -1))) {
      ctx.addIssue({ code: 'custom', message: `must be a ${schemes.join(' or ')} URL such as ${example}` });
    }
  });
}

const postgresUrl = urlOfScheme(
  ['postgres', 'postgresql'],
  'postgres://relay@db.example.com:5432/switchboard',
);
const redisUrl = urlOfScheme(['redis', 'rediss'], 'redis://redis.example.com:6379');

/** A duration in whole seconds; flags and environment variables arrive as text and are converted first. */
const wholeSeconds = z
  .number({ error: 'must be a whole number of seconds' })
  .int('must be a whole number of seconds')
  .positive('must be at least 1 second');

const entraSchema = z.strictObject({
  tenantId: z
    .string()
    .regex(GUID, 'must be the tenant id (a GUID): tokens name the tenant by id, not by domain'),
  clientId: z.string().regex(GUID, 'must be the application (client) id, a GUID'),
  /** The delegated scope the relay API exposes; defaults to `api://<clientId>/access`. */
  apiScope: nonEmpty.optional(),
});

/** Settings the Entra preset derives from the tenant and client id, so they may not be set beside it. */
const ENTRA_DERIVED_FIELDS = ['issuer', 'audience', 'clientId', 'resource', 'bearerToken'] as const;

const trustSchema = z
  .strictObject({
    issuer: issuerUrl.optional(),
    /** The public client desktop and CLI sign in with. */
    clientId: nonEmpty.optional(),
    /** Accepted `aud` values; defaults to the client id (ID-token style issuers such as Dex). */
    audience: z.union([nonEmpty, z.array(nonEmpty).min(1, 'must list at least one audience')]).optional(),
    usernameClaim: nonEmpty.optional(),
    usernamePrefix: z.string().optional(),
    groupsClaim: nonEmpty.optional(),
    groupsPrefix: z.string().optional(),
    scopes: stringList.optional(),
    resource: httpUrl.optional(),
    bearerToken: z.enum(['access_token', 'id_token']).optional(),
    entra: entraSchema.optional(),
  })
  .superRefine((trust, ctx) => {
    if (trust.entra) {
      for (const field of ENTRA_DERIVED_FIELDS) {
        if (trust[field] !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: 'not allowed with trust.entra: the preset derives it from tenantId and clientId',
          });
        }
      }
      return;
    }
    if (trust.issuer === undefined) {
      ctx.addIssue({ code: 'custom', path: ['issuer'], message: 'required (or use the trust.entra preset)' });
    }
    if (trust.clientId === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['clientId'],
        message: 'required: the public client id that desktop and CLI sign in with',
      });
    }
  });

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const relayConfigSchema = z
  .strictObject({
    listen: z
      .string()
      .refine(
        (value) => parseListenAddress(value) !== undefined,
        'must be HOST:PORT, e.g. 127.0.0.1:8443 or [::]:443',
      )
      .default('127.0.0.1:8443'),
    /** The directory of the SQLite registry (and of `sealing.key` unless `sealingKeyFile` is set). */
    dataDir: nonEmpty.optional(),
    /**
     * The registry's database: a `postgres://` URL shares it between the replicas of a fleet; SQLite in
     * `dataDir` otherwise. A password belongs in the environment or the file, never in a flag (argv).
     */
    database: postgresUrl.optional(),
    /**
     * Redis, which a fleet of replicas shares its soft state through (who holds which agent, change
     * fan-out, replay cache, rate limits). Needs `database`: replicas share one registry.
     */
    redis: redisUrl.optional(),
    fleet: z
      .strictObject({
        /** This replica's name in the fleet (logs, Redis); the host name and a random suffix otherwise. */
        replicaId: z
          .string()
          .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'must be 1 to 63 letters, digits, ".", "_" or "-"')
          .optional(),
        /**
         * The URL the other replicas reach this one at (a pod IP, not the load balancer); the listen
         * address when it is not a wildcard.
         */
        peerUrl: httpUrl.optional(),
      })
      .default({}),
    /**
     * The key that seals ticket keys in the registry (32 random bytes as base64), shared by every
     * replica; `<dataDir>/sealing.key`, created on first start, otherwise.
     */
    sealingKeyFile: nonEmpty.optional(),
    /** The URL clients reach the relay at, when it differs from the listen address (load balancer, DNS name). */
    publicUrl: httpUrl.optional(),
    tls: z.strictObject({ certFile: nonEmpty, keyFile: nonEmpty }).optional(),
    trust: trustSchema.optional(),
    /** Global administrators: they see every cluster and manage clusters and grants. */
    admins: z
      .strictObject({ users: stringList.default([]), groups: stringList.default([]) })
      .default({ users: [], groups: [] }),
    devIdp: z
      .strictObject({
        enabled: z.boolean().default(false),
        /** Users and service principals (YAML); the demo users otherwise. */
        usersFile: nonEmpty.optional(),
        /** Lifetime of the access tokens it issues; the provider's default (600 s) otherwise. */
        accessTokenTtlSeconds: wholeSeconds.optional(),
      })
      .default({ enabled: false }),
    logLevel: z.enum(LOG_LEVELS).default('info'),
    /**
     * Concurrent TCP connections the relay's server holds (API, agents, tunnels); past it a new
     * connection is closed at once, so a connection flood cannot grow its tables without bound.
     */
    maxConnections: z.number().int().min(1).max(1_000_000).default(20_000),
    agents: z
      .strictObject({
        /** Lifetime of join tokens issued without an explicit one (default 24 h, at most 30 days). */
        joinTokenTtlSeconds: wholeSeconds.max(30 * 24 * 3600, 'must be at most 30 days').default(24 * 3600),
        /**
         * The agent version users are told to run (`upgradeAvailable` when an agent reports an older
         * one); the relay's own version when left out.
         */
        recommendedVersion: z.string().regex(SEMVER, 'must be a semantic version, e.g. 1.4.2').optional(),
      })
      .default({ joinTokenTtlSeconds: 24 * 3600 }),
    /** Tunnel limits (see `tunnel/tunnel-settings.ts` for the memory bound they imply). */
    tunnel: z
      .strictObject({
        maxWindowBytes: z
          .number()
          .int()
          .min(256 * 1024)
          .max(64 * 1024 * 1024)
          .optional(),
        maxStreamsPerSession: z.number().int().min(1).max(65_535).optional(),
        maxStreamsPerUser: z.number().int().min(1).max(65_535).optional(),
        maxSessionsPerUser: z.number().int().min(1).max(10_000).optional(),
        userOpenRatePerSecond: z.number().positive().optional(),
        userOpenBurst: z.number().int().min(1).optional(),
      })
      .default({}),
  })
  .superRefine((config, ctx) => {
    if (config.database === undefined && config.dataDir === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['dataDir'],
        message:
          'required: the directory of the relay database (--data DIR or SWITCHBOARD_RELAY_DATA_DIR), or a Postgres database (--database URL)',
      });
    }
    if (config.database !== undefined && config.sealingKeyFile === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['sealingKeyFile'],
        message:
          'required with a Postgres database: every replica must seal ticket keys with the same key (a file holding 32 random bytes as base64, e.g. from a Kubernetes Secret)',
      });
    }
    if (config.redis !== undefined && config.database === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['redis'],
        message: 'needs a Postgres database (--database URL): the replicas of a fleet share one registry',
      });
    }
    if (config.redis !== undefined && config.devIdp.enabled) {
      ctx.addIssue({
        code: 'custom',
        path: ['devIdp'],
        message:
          'not available in a fleet: the development provider keeps its signing keys in one process; trust a real issuer (trust.issuer) instead',
      });
    }
    if (config.redis !== undefined && config.publicUrl === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['publicUrl'],
        message:
          "required in a fleet: the load balancer's URL, which agents and users reach every replica at (tickets and agent assertions name it)",
      });
    }
    const listen = parseListenAddress(config.listen);
    if (
      config.redis !== undefined &&
      config.fleet.peerUrl === undefined &&
      listen &&
      isWildcardHost(listen.host)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['fleet', 'peerUrl'],
        message: `required in a fleet when listening on ${listen.host}: the URL the other replicas reach this one at (its pod or host address)`,
      });
    }
    if (listen && !config.tls && !isLoopbackHost(listen.host)) {
      ctx.addIssue({
        code: 'custom',
        path: ['tls'],
        message: `required when listening on ${listen.host}: plain HTTP is allowed only on a loopback address (set tls.certFile and tls.keyFile)`,
      });
    }
    if (config.devIdp.enabled && config.trust) {
      ctx.addIssue({
        code: 'custom',
        path: ['trust'],
        message: 'must not be set with --dev-idp: the embedded provider is the issuer',
      });
    }
    if (!config.devIdp.enabled && !config.trust) {
      ctx.addIssue({
        code: 'custom',
        path: ['trust'],
        message: 'required: set trust.issuer and trust.clientId, or trust.entra, or start with --dev-idp',
      });
    }
    for (const field of ['usersFile', 'accessTokenTtlSeconds'] as const) {
      if (config.devIdp[field] !== undefined && !config.devIdp.enabled) {
        ctx.addIssue({ code: 'custom', path: ['devIdp', field], message: 'needs --dev-idp' });
      }
    }
  });

/** The configuration as written (file, environment, flags, or an object in tests). */
export type RelayConfigInput = z.input<typeof relayConfigSchema>;
/** The validated configuration, defaults applied. */
export type RelayConfig = z.output<typeof relayConfigSchema>;
export type TrustConfig = NonNullable<RelayConfig['trust']>;
