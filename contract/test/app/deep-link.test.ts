import { describe, expect, it } from 'vitest';
import { clusterDeepLink, deepLinkInArguments, parseDeepLink } from '../../src/app/app-contract.js';

describe('deep links', () => {
  it('round-trips a cluster link', () => {
    expect(clusterDeepLink('prod-eu')).toBe('switchboard://cluster/prod-eu');
    expect(parseDeepLink('switchboard://cluster/prod-eu')).toEqual({ kind: 'cluster', cluster: 'prod-eu' });
    expect(parseDeepLink('switchboard://cluster/prod-eu/')).toEqual({ kind: 'cluster', cluster: 'prod-eu' });
  });

  it('accepts nothing but a valid cluster link', () => {
    for (const link of [
      'https://cluster/prod',
      'switchboard://clusters/prod',
      'switchboard://cluster/Prod',
      'switchboard://cluster/prod/pods',
      'switchboard://cluster/../etc',
      'switchboard://cluster/prod?x=1',
      'switchboard://cluster/prod#top',
      'switchboard://user:pw@cluster/prod',
      'switchboard://cluster/',
      'not a url',
    ]) {
      expect(parseDeepLink(link), link).toBeUndefined();
    }
  });

  it('refuses to build a link for an invalid name, saying why', () => {
    expect(() => clusterDeepLink('Prod EU')).toThrow(
      /"Prod EU" is not a cluster name: a cluster name is 1-63 lowercase/,
    );
  });

  it('finds the link among process arguments (Windows, Linux)', () => {
    expect(
      deepLinkInArguments(['/opt/Switchboard/switchboard', '--no-sandbox', 'switchboard://cluster/a']),
    ).toBe('switchboard://cluster/a');
    expect(deepLinkInArguments(['/opt/Switchboard/switchboard'])).toBeUndefined();
  });
});
