import { type ParseArgsConfig, parseArgs } from 'node:util';
import { NoRelaySelectedError } from '../core/accounts/account-registry.js';
import { RendererNotBuiltError } from '../core/app/renderer-files.js';
import { KubeconfigFileError } from '../core/kubeconfig/kubeconfig-merge.js';
import { NonLoopbackAddressError, PortInUseError } from '../core/local-proxy/local-proxy.js';
import { RelayApiError } from '../core/relay-client/relay-api.js';
import { RelayConfigurationError } from '../core/relay-client/relay-configuration.js';
import { InvalidRelayUrlError } from '../core/relay-client/relay-url.js';
import { SignInRequiredError } from '../core/session/sign-in-required-error.js';
import { describeAuthorizationFailure, SignInTimedOutError } from '../core/sign-in/browser-sign-in.js';
import { ClientSecretFileError } from '../core/sign-in/client-secret-file.js';
import { IssuerDiscoveryError } from '../core/sign-in/issuer-connection.js';
import { KeychainUnavailableError } from '../core/token-store/os-keychain.js';
import type { CliEnvironment } from './cli-environment.js';
import { clusters } from './commands/clusters.js';
import { kubeconfig } from './commands/kubeconfig.js';
import { login } from './commands/login.js';
import { logout } from './commands/logout.js';
import { proxy } from './commands/proxy.js';
import { token } from './commands/token.js';
import { ui } from './commands/ui.js';
import { whoami } from './commands/whoami.js';
import { USAGE } from './usage.js';
import { UsageError } from './usage-error.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** Distinct so scripts can tell "a human must sign in" from other failures. */
export const EXIT_SIGN_IN_REQUIRED = 3;

const relayOption = { relay: { type: 'string' } } as const;

/** Runs one `switchboard` command; returns the process exit code. Errors become one clear line on stderr. */
export async function runCli(argv: string[], environment: CliEnvironment): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'login':
        await login(
          parse(rest, {
            ...relayOption,
            'device-code': { type: 'boolean' },
            'client-id': { type: 'string' },
            'client-secret-file': { type: 'string' },
            scope: { type: 'string' },
            timeout: { type: 'string' },
          }),
          environment,
        );
        return EXIT_OK;
      case 'logout':
        await logout(parse(rest, { ...relayOption, all: { type: 'boolean' } }), environment);
        return EXIT_OK;
      case 'whoami':
        await whoami(parse(rest, { ...relayOption, json: { type: 'boolean' } }), environment);
        return EXIT_OK;
      case 'clusters':
        await clusters(
          parse(rest, { ...relayOption, watch: { type: 'boolean' }, output: { type: 'string' } }),
          environment,
        );
        return EXIT_OK;
      case 'token':
        await token(parse(rest, relayOption), environment);
        return EXIT_OK;
      case 'proxy':
        await proxy(
          parse(rest, {
            ...relayOption,
            port: { type: 'string' },
            'next-free-port': { type: 'boolean' },
            'kubeconfig-out': { type: 'string' },
            'service-account-token': { type: 'string', multiple: true },
            'max-connections': { type: 'string' },
          }) as never,
          environment,
        );
        return EXIT_OK;
      case 'kubeconfig':
        await kubeconfig(
          parse(rest, {
            ...relayOption,
            port: { type: 'string' },
            'kubeconfig-out': { type: 'string' },
            merge: { type: 'boolean' },
            unmerge: { type: 'boolean' },
            kubeconfig: { type: 'string' },
          }),
          environment,
        );
        return EXIT_OK;
      case 'ui':
        await ui(parse(rest, { port: { type: 'string' }, 'no-open': { type: 'boolean' } }), environment);
        return EXIT_OK;
      case undefined:
        environment.stderr.write(USAGE);
        return EXIT_USAGE;
      case 'help':
      case '--help':
      case '-h':
        environment.stdout.write(USAGE);
        return EXIT_OK;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    return report(error, environment);
  }
}

/** Parses a command's flags; `--kebab-case` flags arrive as camelCase properties. */
function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>) {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) throw new UsageError('');
  const camelCased: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    camelCased[name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase())] = value;
  }
  return camelCased as Record<string, string & boolean>;
}

function report(error: unknown, { stderr, logger }: CliEnvironment): number {
  if (error instanceof UsageError) {
    stderr.write(error.message ? `switchboard: ${error.message}\n\n${USAGE}` : USAGE);
    return EXIT_USAGE;
  }
  if (error instanceof SignInRequiredError) {
    stderr.write(`switchboard: ${error.message}\n`);
    return EXIT_SIGN_IN_REQUIRED;
  }
  const expected =
    error instanceof KeychainUnavailableError ||
    error instanceof RelayConfigurationError ||
    error instanceof RelayApiError ||
    error instanceof InvalidRelayUrlError ||
    error instanceof IssuerDiscoveryError ||
    error instanceof ClientSecretFileError ||
    error instanceof SignInTimedOutError ||
    error instanceof NoRelaySelectedError ||
    error instanceof PortInUseError ||
    error instanceof NonLoopbackAddressError ||
    error instanceof KubeconfigFileError ||
    error instanceof RendererNotBuiltError;
  if (expected) {
    stderr.write(`switchboard: ${error.message}\n`);
  } else {
    stderr.write(`switchboard: sign-in or request failed: ${describeAuthorizationFailure(error)}\n`);
    logger.debug({ err: error }, 'failure details');
  }
  return EXIT_FAILURE;
}
