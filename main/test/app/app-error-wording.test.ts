/**
 * Errors reach the app in its own words: each carries a kind the UI turns into a button, and none
 * tells the person to run a command or pass a flag, even where the error's own message (the CLI's)
 * does. A missing or locked OS keychain says what the keychain is for and what is missing on this
 * operating system.
 */
import { describe, expect, it } from 'vitest';
import { NoRelaySelectedError } from '../../src/core/accounts/account-registry.js';
import { toAppError } from '../../src/core/app/app-error.js';
import { keychainUnavailableMessage } from '../../src/core/app/keychain-unavailable-message.js';
import { SignInRequiredError } from '../../src/core/session/sign-in-required-error.js';
import { SignInTimedOutError } from '../../src/core/sign-in/browser-sign-in.js';
import { DeviceCodeNotOfferedError } from '../../src/core/sign-in/device-code-sign-in.js';
import { KeychainUnavailableError } from '../../src/core/token-store/os-keychain.js';

/** What a terminal user is told and an app user must never be: commands, flags, shell syntax. */
const CLI_SPEAK =
  /`|\bswitchboard (login|logout|ui|proxy|kubeconfig)\b|\s--[a-z]|\bsudo\b|\bapt\b|dbus-run-session/;

const keychainError = () =>
  new KeychainUnavailableError(
    'cannot use the Secret Service keychain (…). Install … `sudo apt install gnome-keyring` … use --device-code',
    { cause: new Error('Platform secure storage failure: no org.freedesktop.secrets') },
  );

describe('errors in the app’s words', () => {
  it('a missing keychain is its own kind, explained for this OS, with the platform’s answer', () => {
    const error = toAppError(keychainError());
    expect(error.kind).toBe('keychain-unavailable');
    expect(error.message).toContain('keeps your sign-in');
    expect(error.message).toContain('no token is ever written to a plain file');
    expect(error.message).toContain('no org.freedesktop.secrets');
    expect(error.message).not.toMatch(CLI_SPEAK);
  });

  it.each([
    ['linux', /Secret Service provider, such as GNOME Keyring/],
    ['darwin', /macOS login keychain is locked/],
    ['win32', /Windows Credential Manager/],
    ['freebsd', /Secret Service provider/],
  ] as const)('names what is missing on %s', (platform, expected) => {
    const message = keychainUnavailableMessage(keychainError(), platform);
    expect(message).toMatch(expected);
    expect(message).toMatch(/then try again/);
    expect(message).not.toMatch(CLI_SPEAK);
  });

  it('a sign-in nobody finished failed, and says what to do in the app', () => {
    const timedOut = new SignInTimedOutError(5 * 60_000);
    expect(timedOut.message).toContain('--device-code');
    const error = toAppError(timedOut);
    expect(error).toEqual({
      kind: 'sign-in-failed',
      message:
        'No sign-in was completed in the browser within 5 minutes. Sign in again; if your browser is on another computer, or cannot reach this one, use a sign-in code.',
    });
  });

  it('an issuer without the device grant says so, naming the issuer', () => {
    const error = toAppError(new DeviceCodeNotOfferedError('https://login.example.com/tenant'));
    expect(error.kind).toBe('sign-in-failed');
    expect(error.message).toMatch(
      /^The identity provider of this relay \(https:\/\/login\.example\.com\/tenant\) does not offer sign-in with a code\./,
    );
    expect(error.message).not.toMatch(CLI_SPEAK);
  });

  it('sign-in required and no relay chosen drop the CLI’s instructions', () => {
    const required = new SignInRequiredError('https://relay.example.com', 'the refresh token was revoked');
    expect(required.message).toMatch(CLI_SPEAK);
    expect(toAppError(required)).toEqual({
      kind: 'sign-in-required',
      message: 'Sign in to https://relay.example.com again (the refresh token was revoked).',
    });
    const noRelay = toAppError(new NoRelaySelectedError());
    expect(noRelay.kind).toBe('invalid-request');
    expect(noRelay.message).not.toMatch(CLI_SPEAK);
  });
});
