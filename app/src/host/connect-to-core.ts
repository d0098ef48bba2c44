import type { AppApi } from '@switchboard/contract/app';
import { openBrowserHostConnection } from './browser-host-connection';
import type { CoreConnection } from './core-connection';

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge); absent in the browser host. */
    switchboard?: AppApi;
  }
}

/** The Electron preload's API when the app runs in Electron, else the browser host's WebSocket. */
export function connectToCore(): CoreConnection {
  const electronApi = window.switchboard;
  if (electronApi !== undefined) {
    // The core lives in Electron's main process: the window goes away with it, so it is never "lost".
    return { api: electronApi, onLost: () => () => {} };
  }
  return openBrowserHostConnection();
}
