import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { relayAddressFromEnvironment } from '../../src/bench/support/relay-address.js';

const address = (family: 'IPv4' | 'IPv6', value: string, internal: boolean): NetworkInterfaceInfo =>
  ({ address: value, family, internal, netmask: '', mac: '', cidr: null }) as NetworkInterfaceInfo;

const loopbackOnly = { lo: [address('IPv4', '127.0.0.1', true), address('IPv6', '::1', true)] };
const withEth0 = {
  ...loopbackOnly,
  eth0: [address('IPv6', 'fd00::2', false), address('IPv4', '192.0.2.2', false)],
};

describe('relayAddressFromEnvironment', () => {
  it('by default puts the relay on the first non-loopback IPv4 address, as deployed', () => {
    const relay = relayAddressFromEnvironment(undefined, withEth0);
    expect(relay).toMatchObject({ host: '192.0.2.2', deployed: true });
    expect(relay.description).toMatch(/as deployed.*random key/);
    expect(relayAddressFromEnvironment('deployed', withEth0).host).toBe('192.0.2.2');
  });

  it('falls back to loopback, and says the figures then skip masking, where no such address exists', () => {
    const relay = relayAddressFromEnvironment(undefined, loopbackOnly);
    expect(relay).toMatchObject({ host: '127.0.0.1', deployed: false });
    expect(relay.description).toMatch(/no non-loopback IPv4 address.*skip the masking/);
  });

  it('keeps loopback on request, and refuses any other setting by name', () => {
    expect(relayAddressFromEnvironment('loopback', withEth0)).toMatchObject({
      host: '127.0.0.1',
      deployed: false,
    });
    expect(() => relayAddressFromEnvironment('eth0', withEth0)).toThrow(
      'BENCH_RELAY_ADDRESS must be "deployed" (the default) or "loopback", not "eth0"',
    );
  });
});
