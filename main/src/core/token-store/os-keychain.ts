import { AsyncEntry, type EntryOptions } from '@napi-rs/keyring';

/** The OS keychain cannot be used; the message says how to make it usable. */
export class KeychainUnavailableError extends Error {
  override readonly name = 'KeychainUnavailableError';
}

const SERVICE = 'switchboard';

/**
 * On Linux the binding would otherwise fall back to the kernel keyring (keyutils), which forgets
 * everything at logout/reboot and so only looks like it works. Pinning the Secret Service makes
 * a missing or locked keyring an error the user can fix.
 */
const ENTRY_OPTIONS: EntryOptions = { linux: { store: 'secret-service' } };

/**
 * One secret string per account in the OS keychain (Secret Service, macOS Keychain, Windows
 * Credential Manager) through @napi-rs/keyring. Errors from the platform are turned into
 * `KeychainUnavailableError` with a fix for the platform at hand.
 */
export class OsKeychain {
  async read(account: string): Promise<string | undefined> {
    return (
      (await this.call(() => new AsyncEntry(SERVICE, account, ENTRY_OPTIONS).getPassword())) ?? undefined
    );
  }

  async write(account: string, secret: string): Promise<void> {
    await this.call(() => new AsyncEntry(SERVICE, account, ENTRY_OPTIONS).setPassword(secret));
  }

  async delete(account: string): Promise<void> {
    await this.call(() => new AsyncEntry(SERVICE, account, ENTRY_OPTIONS).deleteCredential());
  }

  private async call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw new KeychainUnavailableError(keychainFailureMessage(error), { cause: error });
    }
  }
}

function keychainFailureMessage(error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  switch (process.platform) {
    case 'darwin':
      return `cannot use the macOS Keychain (${detail}). Unlock your login keychain (Keychain Access) and allow Switchboard access, then try again.`;
    case 'win32':
      return `cannot use the Windows Credential Manager (${detail}). Make sure you are signed in to an interactive Windows session with a user profile loaded, then try again.`;
    default:
      return [
        `cannot use the Secret Service keychain (${detail}).`,
        'Switchboard keeps tokens only in the OS keychain and never falls back to plaintext files.',
        'Install and unlock a Secret Service provider: e.g. `sudo apt install gnome-keyring` (or KeePassXC with Secret Service integration),',
        'make sure DBUS_SESSION_BUS_ADDRESS points at your session bus, and unlock the keyring',
        '(on a headless machine: `dbus-run-session -- sh -c "echo -n <password> | gnome-keyring-daemon --unlock --components=secrets && switchboard …"`).',
        'On a machine without a keyring, sign in where the keychain is available or use --device-code from a desktop session.',
      ].join(' ');
  }
}
