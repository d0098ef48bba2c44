/** Which proxy an outbound connection takes, from the environment as curl and Go read it. */
import { describe, expect, it } from 'vitest';
import { bypassesProxy, proxyFor } from '../../src/outbound/outbound-agent.js';

describe('proxy environment', () => {
  const target = new URL('https://relay.example.com/');
  it('uses HTTPS_PROXY for https and honours NO_PROXY', () => {
    expect(proxyFor(target, { HTTPS_PROXY: 'http://proxy:3128' })?.host).toBe('proxy:3128');
    expect(proxyFor(target, { https_proxy: 'proxy:3128' })?.host).toBe('proxy:3128');
    expect(proxyFor(target, { HTTP_PROXY: 'http://proxy:3128' })).toBeUndefined();
    expect(proxyFor(target, { HTTPS_PROXY: 'http://p:1', NO_PROXY: '.example.com' })).toBeUndefined();
  });
  it.each([
    ['example.com', true],
    ['.example.com', true],
    ['*.example.com', true],
    ['relay.example.com:443', true],
    ['relay.example.com:8443', false],
    ['other.com', false],
    ['*', true],
    ['ample.com', false],
  ])('NO_PROXY=%s → bypass %s', (entry, bypass) => {
    expect(bypassesProxy(target, entry)).toBe(bypass);
  });
});
