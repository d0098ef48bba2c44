import { useCallback, useEffect, useState } from 'react';
import { formatRoute, parseRoute, type Route } from './route';

export type Navigate = (route: Route, how?: 'push' | 'replace') => void;

/**
 * The route in the address's fragment, followed through Back/Forward. `push` makes a history entry
 * (a new cluster, kind or namespace: what Back should undo); `replace` updates the current one
 * (typing a search, moving the selection).
 */
export function useRoute(): [Route, Navigate] {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const follow = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('popstate', follow);
    window.addEventListener('hashchange', follow);
    return () => {
      window.removeEventListener('popstate', follow);
      window.removeEventListener('hashchange', follow);
    };
  }, []);
  const navigate = useCallback<Navigate>((next, how = 'push') => {
    const hash = formatRoute(next);
    if (hash !== window.location.hash) {
      // Only the fragment changes: the browser host's page (and its spent secret) stays as loaded.
      const url = new URL(window.location.href);
      url.hash = hash;
      if (how === 'push') window.history.pushState(null, '', url);
      else window.history.replaceState(window.history.state, '', url);
    }
    setRoute(parseRoute(hash));
  }, []);
  return [route, navigate];
}
