/**
 * The core's rule for `openExternal`: https anywhere, plain http only to this machine, nothing else,
 * refused as an `invalid-request` that names the scheme.
 */
import { describe, expect, it } from 'vitest';
import { AppRequestError } from '../../src/core/app/app-error.js';
import { externalLinkToOpen } from '../../src/core/app/external-link.js';

describe('externalLinkToOpen', () => {
  it('opens https links, as the browser spells them', () => {
    expect(externalLinkToOpen('https://relay.example.com/docs?page=1')).toBe(
      'https://relay.example.com/docs?page=1',
    );
    expect(externalLinkToOpen('HTTPS://Relay.Example.com')).toBe('https://relay.example.com/');
  });

  it('opens plain http only on loopback (a relay started for development)', () => {
    expect(externalLinkToOpen('http://localhost:8443/device')).toBe('http://localhost:8443/device');
    expect(externalLinkToOpen('http://127.0.0.2/')).toBe('http://127.0.0.2/');
    expect(externalLinkToOpen('http://[::1]:9000/')).toBe('http://[::1]:9000/');
    expect(() => externalLinkToOpen('http://relay.example.com/')).toThrow(AppRequestError);
    expect(() => externalLinkToOpen('http://10.0.0.1/')).toThrow(AppRequestError);
  });

  it.each([
    ['file:///etc/passwd', 'file:'],
    ['javascript:alert(1)', 'javascript:'],
    ['ftp://relay.example.com/', 'ftp:'],
  ])('refuses %s as an invalid request naming its scheme', (url, scheme) => {
    let refusal: unknown;
    try {
      externalLinkToOpen(url);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(AppRequestError);
    expect(refusal).toMatchObject({ kind: 'invalid-request', message: expect.stringContaining(scheme) });
  });
});
