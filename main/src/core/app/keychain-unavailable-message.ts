/**
 * What the app tells a person whose OS keychain Switchboard cannot use: what the keychain is for
 * here, and what is missing or locked on their operating system, in the app's terms. The CLI keeps
 * `KeychainUnavailableError`'s own message, with the shell commands a terminal user can run.
 */
import type { KeychainUnavailableError } from '../token-store/os-keychain.js';

const WHY =
  'Switchboard keeps your sign-in, and the key of its local kubectl proxy, in your operating system’s keychain, so no token is ever written to a plain file.';

const WHAT_IS_MISSING: Partial<Record<NodeJS.Platform, string>> = {
  darwin:
    'Your macOS login keychain is locked, or Switchboard was not allowed to use it. Unlock it in Keychain Access (or allow Switchboard when macOS asks), then try again.',
  win32:
    'Windows Credential Manager is not available to Switchboard: it needs a normal Windows sign-in with your user profile loaded. Sign in to Windows as yourself, then try again.',
};

const LINUX_AND_OTHERS =
  'On Linux the keychain is a Secret Service provider, such as GNOME Keyring, KWallet or KeePassXC, running and unlocked in your desktop session; none answered. Install or start one (your desktop’s “Passwords and Keys” app shows it), unlock it, then try again.';

export function keychainUnavailableMessage(
  error: KeychainUnavailableError,
  platform: NodeJS.Platform = process.platform,
): string {
  const detail = error.cause instanceof Error ? ` (The keychain answered: ${error.cause.message})` : '';
  return `${WHY} ${WHAT_IS_MISSING[platform] ?? LINUX_AND_OTHERS}${detail}`;
}
