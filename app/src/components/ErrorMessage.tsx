import type { AppError, AppErrorKind } from '@switchboard/contract/app';

/** A plain-words lead for each error kind; the core's message follows with the specifics. */
const HEADLINES: Record<AppErrorKind, string> = {
  'relay-unreachable': 'Can’t reach the relay',
  'sign-in-required': 'Your sign-in has expired',
  'cluster-offline': 'The cluster is offline',
  'no-access': 'You don’t have access',
  'port-in-use': 'That port is already in use',
  'keychain-unavailable': 'Switchboard can’t use your keychain',
  'sign-in-failed': 'Sign-in did not complete',
  'not-found': 'Not found',
  'invalid-request': 'Switchboard refused that request',
  internal: 'Something went wrong inside Switchboard',
};

export function ErrorMessage({ error }: { error: AppError }) {
  return (
    <span className="error-message" data-error-kind={error.kind} data-error-code={error.code}>
      <strong>{HEADLINES[error.kind]}.</strong> {error.message}
    </span>
  );
}
