import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Switchboard keeps its per-user files (the account registry and the encrypted token
 * caches), following each platform's convention. `SWITCHBOARD_CONFIG_DIR` overrides it, for
 * tests and for people who keep several independent setups.
 */
export function switchboardConfigDirectory(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.SWITCHBOARD_CONFIG_DIR) return env.SWITCHBOARD_CONFIG_DIR;
  const home = env.HOME ?? homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Switchboard');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Switchboard');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'switchboard');
}
