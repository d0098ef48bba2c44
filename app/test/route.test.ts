import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute, type Route } from '../src/routing/route';

describe('routes in the address fragment', () => {
  it('round-trips a place with every field', () => {
    const route: Route = {
      screen: 'cluster',
      cluster: 'prod-eu',
      place: {
        kind: 'pods',
        namespace: 'shop',
        search: 'front end',
        selected: 'shop/frontend-7d4b9c8f6-x2k9p',
        details: true,
        sort: { columnId: 'restarts', direction: 'descending' },
      },
    };
    const hash = formatRoute(route);
    expect(hash).toBe(
      '#/clusters/prod-eu/pods?ns=shop&q=front+end&sel=shop%2Ffrontend-7d4b9c8f6-x2k9p&details=1&sort=-restarts',
    );
    expect(parseRoute(hash)).toEqual(route);
  });

  it('reads a bare cluster address as its pods, all namespaces', () => {
    expect(parseRoute('#/clusters/demo')).toEqual({
      screen: 'cluster',
      cluster: 'demo',
      place: { kind: 'pods', search: '', details: false },
    });
  });

  it('keeps any resource type id (the cluster says whether it serves it) and opens a malformed one at pods', () => {
    expect(parseRoute('#/clusters/demo/widgets.example.com?ns=a')).toMatchObject({
      screen: 'cluster',
      place: { kind: 'widgets.example.com', namespace: 'a' },
    });
    expect(parseRoute('#/clusters/demo/Not%20A%20Kind?ns=a')).toMatchObject({
      screen: 'cluster',
      place: { kind: 'pods', namespace: 'a' },
    });
  });

  it('treats anything else, including broken escapes, as the home screen', () => {
    expect(parseRoute('')).toEqual({ screen: 'home' });
    expect(parseRoute('#/')).toEqual({ screen: 'home' });
    expect(parseRoute('#/elsewhere/demo')).toEqual({ screen: 'home' });
    expect(parseRoute('#/clusters/%E0%A4%A')).toEqual({ screen: 'home' });
    expect(formatRoute({ screen: 'home' })).toBe('#/');
  });
});
