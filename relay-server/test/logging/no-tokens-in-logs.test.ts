import { apiPaths } from '@switchboard/contract/relay-api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TestIssuer } from '../helpers/test-issuer.js';
import { jsonBody, startTestRelay } from '../helpers/test-relay.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await TestIssuer.start();
});
afterAll(() => issuer.close());

it('never writes a token to the log', async () => {
  const relay = await startTestRelay(issuer.url, { logLevel: 'trace' });
  const valid = await issuer.sign({ sub: 'root-admin', groups: ['ops'] });
  const expired = await issuer.sign({ sub: 'alice' }, { expiresIn: -120 });
  const foreign = await issuer.sign({ sub: 'alice' }, { audience: 'elsewhere' });

  expect((await relay.request(apiPaths.whoami, { token: valid })).status).toBe(200);
  expect(
    (await relay.request(apiPaths.clusters, { token: valid, ...jsonBody({ name: 'logged' }) })).status,
  ).toBe(201);
  expect((await relay.request(apiPaths.whoami, { token: expired })).status).toBe(401);
  expect((await relay.request(apiPaths.whoami, { token: foreign })).status).toBe(401);
  expect((await relay.request(`${apiPaths.whoami}?access_token=${valid}`)).status).toBe(401);
  expect((await relay.request(`/nope?id_token=${valid}`, { token: valid })).status).toBe(404);
  await relay.relay.close();

  const log = relay.logs.join('');
  // The requests were logged, with who made them...
  expect(log).toContain('"user":"root-admin"');
  expect(log).toContain('"path":"/api/v1/whoami"');
  // ...but no token, nor any of its parts (a signature alone is as good as a leak for forensics).
  for (const token of [valid, expired, foreign]) {
    for (const part of [token, ...token.split('.').slice(1)]) {
      expect(log.includes(part), 'a token (part) appears in the log').toBe(false);
    }
  }
});
