/**
 * The local proxy's status when its relay session needs a new sign-in: the reason, worded for the
 * app (which offers the button), not the CLI's "run `switchboard login`"; `lastFailure`, which
 * `switchboard proxy` prints, keeps that advice for the terminal.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EphemeralLocalIdentityStore } from '../../src/core/local-proxy/local-identity.js';
import { ProxyController } from '../../src/core/local-proxy/proxy-controller.js';
import { createLogger } from '../../src/core/logging/logger.js';
import type { BearerTokenSource } from '../../src/core/session/bearer-token-source.js';
import { SignInRequiredError } from '../../src/core/session/sign-in-required-error.js';
import { type StandInRelay, startStandInRelay } from '../support/stand-in-relay.js';

const WHY = 'the refresh token expired or was revoked';

describe('ProxyController when the sign-in cannot be renewed', () => {
  let relay: StandInRelay;
  let scratch: string;
  let controller: ProxyController | undefined;

  beforeAll(async () => {
    [relay, scratch] = await Promise.all([
      startStandInRelay(),
      mkdtemp(join(tmpdir(), 'switchboard-proxy-sign-in-required-')),
    ]);
  });
  afterAll(async () => {
    await controller?.stop();
    await relay?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('says to sign in again, with the reason, and no command to run', async () => {
    const refused = async (): Promise<string> => {
      throw new SignInRequiredError(relay.url, WHY);
    };
    const bearerToken: BearerTokenSource = Object.assign(refused, { renewRejected: refused });
    controller = new ProxyController({
      localIdentityStore: new EphemeralLocalIdentityStore(),
      kubeconfigPath: join(scratch, 'kubeconfig'),
      logger: createLogger('silent'),
    });
    await controller.start({ relayUrl: relay.url, bearerToken }, 0);
    await expect.poll(() => controller?.status.error, { timeout: 10_000 }).toBeDefined();
    expect(controller.status.error).toEqual({
      kind: 'sign-in-required',
      message: `Sign in to ${relay.url} again (${WHY}).`,
    });
    expect(controller.running?.lastFailure).toMatch(/switchboard login/);
  });
});
