import type { AppApi } from '@switchboard/contract/app';
import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import type { CoreConnection } from '../host/core-connection';

const CoreContext = createContext<CoreConnection | undefined>(undefined);

export function CoreProvider({ connection, children }: { connection: CoreConnection; children: ReactNode }) {
  return <CoreContext.Provider value={connection}>{children}</CoreContext.Provider>;
}

function useConnection(): CoreConnection {
  const connection = useContext(CoreContext);
  if (connection === undefined) throw new Error('useCore() was called outside <CoreProvider>');
  return connection;
}

/** The contract's API, for requests and event subscriptions. */
export function useCore(): AppApi {
  return useConnection().api;
}

/** Why the core is gone: what to tell the person; undefined while it answers. */
export function useCoreLost(): string | undefined {
  const connection = useConnection();
  const [lostReason, setLostReason] = useState<string>();
  useEffect(() => connection.onLost(setLostReason), [connection]);
  return lostReason;
}
