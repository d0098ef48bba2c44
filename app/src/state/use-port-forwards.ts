import type { PortForwardView } from '@switchboard/contract/app';
import { useEffect, useState } from 'react';
import { useCore } from './core-context';

/** Every port-forward the core runs, kept current by the `portForwards` event. */
export function usePortForwards(): PortForwardView[] {
  const api = useCore();
  const [forwards, setForwards] = useState<PortForwardView[]>([]);
  useEffect(() => {
    let pushed = false;
    const unsubscribe = api.on('portForwards', (event) => {
      pushed = true;
      setForwards(event.forwards);
    });
    api.request('listPortForwards', undefined).then(
      (result) => {
        // A push that came first is at least as new as this answer.
        if (!pushed) setForwards(result.forwards);
      },
      () => {},
    );
    return unsubscribe;
  }, [api]);
  return forwards;
}
