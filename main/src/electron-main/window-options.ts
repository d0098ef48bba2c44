/**
 * The Electron window's security settings in one place, free of Electron imports so a unit test
 * can check them without the Electron binary. The renderer is treated as untrusted: it gets no
 * Node, runs sandboxed and isolated from the preload, loads only the app's own files from the
 * `app://switchboard` origin, and may open nothing but https links, in the system browser.
 */

/** The privileged scheme the renderer's files are served from (with the CSP as a real header). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'switchboard';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/** `webPreferences` of every Switchboard window. */
export function secureWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  } as const;
}

/** Only the app's own pages may be loaded in its windows, and only they may call the core. */
export function isAppUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    // Node's URL gives non-special schemes an opaque origin: compare scheme and host instead.
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Links the renderer may hand to the system browser: https only (the relay, documentation). */
export function isExternalLinkAllowed(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
