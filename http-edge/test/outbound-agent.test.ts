/** Which proxy an outbound connection takes, from the environment as curl and Go read it. */
import { describe, expect, it } from 'vitest';
import { bypassesProxy, proxyFor } from '../src/outbound-agent.js';

describe('proxy environment', () => {
  const target = new URL('https://relay.example.com/');
  it('uses HTTPS_PROXY for https and honours NO_PROXY', () => {
    expect(proxyFor(target, { HTTPS_PROXY: 'http://proxy:3128' })?.host).toBe('proxy:3128');
    expect(proxyFor(target, { https_proxy: 'proxy:3128' })?.host).toBe('proxy:3128');
    expect(proxyFor(target, { HTTP_PROXY: 'http://proxy:3128' })).toBeUndefined();
    expect(proxyFor(target, { HTTPS_PROXY: 'http://p:1', NO_PROXY: '.example.com' })).toBeUndefined();
  });
  it('names a proxy variable that is not a usable proxy URL, without echoing it', () => {
    expect(() => proxyFor(target, { HTTPS_PROXY: 'http://user:s3cret@[bad' })).toThrow(
      'the HTTPS_PROXY environment variable is not a URL; set it to http://host:port',
    );
    expect(() => proxyFor(target, { HTTPS_PROXY: 'socks5://proxy:1080' })).toThrow(
      'the proxy socks5://proxy:1080 is not an http(s) proxy',
    );
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
