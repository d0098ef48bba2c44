import { normalizeRelayUrl } from '../../core/relay-client/relay-url.js';
import { removeLocalIdentityWhenSignedOutEverywhere, signOutOfRelay } from '../../core/sign-in/sign-out.js';
import type { CliEnvironment } from '../cli-environment.js';
import { UsageError } from '../usage-error.js';

export async function logout(
  options: { relay?: string; all?: boolean },
  environment: CliEnvironment,
): Promise<void> {
  if (options.all && options.relay) throw new UsageError('pass either --relay URL or --all, not both');
  const relays = options.all
    ? await environment.registry.relays()
    : [normalizeRelayUrl(await environment.registry.selectRelay(options.relay))];
  for (const relayUrl of relays) {
    const hadTokens = await signOutOfRelay(relayUrl, environment.store, environment.logger);
    await environment.registry.remove(relayUrl);
    environment.stdout.write(
      hadTokens ? `Signed out of ${relayUrl}.\n` : `Not signed in to ${relayUrl}; nothing to remove.\n`,
    );
  }
  const { registry, store, localIdentityStore } = environment;
  if (await removeLocalIdentityWhenSignedOutEverywhere(registry, store, localIdentityStore)) {
    environment.stdout.write('Signed out everywhere: removed the local proxy credentials too.\n');
  }
}
