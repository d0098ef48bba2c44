/**
 * The demo's UI: the browser host (`switchboard ui`'s server) in front of the demo's signed-in core,
 * its URL printed. The Electron window needs its own process with the core inside it, so where
 * Electron is installed the demo says how to start it instead of starting it.
 */
import { createRequire } from 'node:module';
import type { BrowserHost } from '@switchboard/main/core';

export interface DemoUi {
  description: string;
  close(): Promise<void>;
}

export async function openDemoUi(startHost: () => Promise<BrowserHost>): Promise<DemoUi> {
  const host = await startHost();
  const electron = electronInstalled()
    ? '\nElectron is installed: `npm start` opens the desktop app (sign in there with the demo user).'
    : '';
  return {
    description: `  UI           ${host.url}   (signed in as the demo user)${electron}\n`,
    close: () => host.close(),
  };
}

function electronInstalled(): boolean {
  try {
    return typeof createRequire(import.meta.url)('electron') === 'string';
  } catch {
    return false;
  }
}
