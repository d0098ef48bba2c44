/**
 * Updates through electron-updater's generic provider: a static feed (`latest.yml`,
 * `latest-mac.yml`, `latest-linux.yml` beside the installers, as `npm run dist` writes them) at a
 * URL from configuration, hosted by the relay or any static server. It checks at start and then
 * daily, downloads in the background (the sha512 in the feed is verified), and installs when the app
 * quits; restarting to install right away is the user's choice, asked only when no kubectl
 * session would be cut (`quit-guard.ts`). Release notes come with the "ready" status.
 *
 * Electron-free: it drives any electron-updater `AppUpdater`; the Electron main process passes
 * `autoUpdater`, the tests a real `DebUpdater` with a Node app adapter against a local HTTP server.
 */
import { EventEmitter } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AppUpdater, UpdateInfo } from 'electron-updater';

export type UpdateStatus =
  | { state: 'not-configured' }
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'up-to-date'; version: string; checkedAt: number }
  | { state: 'downloading'; version: string; percent: number }
  | { state: 'downloaded'; version: string; releaseNotes: string }
  | { state: 'failed'; message: string };

export const DAILY_MS = 24 * 60 * 60 * 1000;
/** electron-builder's default for the app (`<name>-updater` in the OS cache folder). */
const UPDATER_CACHE_DIRECTORY = 'switchboard-updater';

export interface UpdateServiceOptions {
  /** undefined when no feed is configured: the service then only says so. */
  updater: AppUpdater | undefined;
  /** The configured feed; undefined to use the one built into the app (`app-update.yml`). */
  feedUrl?: string;
  /**
   * Where to write an `app-update.yml` for `feedUrl` when the app was built without one (no
   * SWITCHBOARD_UPDATE_URL at build time): electron-updater reads its cache folder's name from it.
   */
  updateConfigFile?: string;
  logger: { info(object: object, message: string): void; warn(object: object, message: string): void };
  checkIntervalMs?: number;
  now?: () => number;
}

export interface UpdateServiceEvents {
  status: [UpdateStatus];
}

export class UpdateService extends EventEmitter<UpdateServiceEvents> {
  readonly #updater: AppUpdater | undefined;
  readonly #options: UpdateServiceOptions;
  #status: UpdateStatus;
  #timer: NodeJS.Timeout | undefined;
  #checking: Promise<UpdateStatus> | undefined;

  constructor(options: UpdateServiceOptions) {
    super();
    this.#options = options;
    this.#updater = options.updater;
    this.#status = this.#updater ? { state: 'idle' } : { state: 'not-configured' };
    const updater = this.#updater;
    if (!updater) return;
    if (options.feedUrl) updater.setFeedURL({ provider: 'generic', url: options.feedUrl });
    if (options.feedUrl && options.updateConfigFile) {
      mkdirSync(dirname(options.updateConfigFile), { recursive: true });
      writeFileSync(
        options.updateConfigFile,
        `provider: generic\nurl: ${JSON.stringify(options.feedUrl)}\nupdaterCacheDirName: ${UPDATER_CACHE_DIRECTORY}\n`,
      );
      updater.updateConfigPath = options.updateConfigFile;
    }
    updater.autoDownload = true;
    updater.autoInstallOnAppQuit = true;
    updater.logger = null;
    updater.on('download-progress', (progress) => {
      const version = this.#status.state === 'downloading' ? this.#status.version : '';
      this.#set({ state: 'downloading', version, percent: Math.floor(progress.percent) });
    });
    updater.on('update-available', (info) =>
      this.#set({ state: 'downloading', version: info.version, percent: 0 }),
    );
    updater.on('update-not-available', (info) =>
      this.#set({ state: 'up-to-date', version: info.version, checkedAt: this.#now() }),
    );
    updater.on('update-downloaded', (info) =>
      this.#set({ state: 'downloaded', version: info.version, releaseNotes: releaseNotesText(info) }),
    );
    updater.on('error', (error) => this.#fail(error));
  }

  get status(): UpdateStatus {
    return this.#status;
  }

  /** Checks now, then every day (the timer does not keep the process alive). */
  start(): void {
    if (!this.#updater || this.#timer) return;
    void this.checkNow();
    this.#timer = setInterval(() => void this.checkNow(), this.#options.checkIntervalMs ?? DAILY_MS);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * One check (a running one is joined); resolves once the outcome is known: up to date, failed,
   * or, when there is an update, downloaded.
   */
  checkNow(): Promise<UpdateStatus> {
    const updater = this.#updater;
    if (!updater) return Promise.resolve(this.#status);
    // A downloaded update stays ready: checking again would only download it again.
    if (this.#status.state === 'downloaded') return Promise.resolve(this.#status);
    this.#checking ??= (async () => {
      this.#set({ state: 'checking' });
      try {
        const result = await updater.checkForUpdates();
        if (result?.downloadPromise) await result.downloadPromise;
        else if (!result)
          this.#set({ state: 'failed', message: 'updates are checked only in the installed app' });
      } catch (error) {
        this.#fail(error as Error);
      }
      return this.#status;
    })().finally(() => {
      this.#checking = undefined;
    });
    return this.#checking;
  }

  /** Quits and installs the downloaded update now (the caller has asked the user first). */
  installNow(): void {
    if (this.#status.state !== 'downloaded') throw new Error('no update has been downloaded');
    this.#updater!.quitAndInstall();
  }

  #fail(error: Error): void {
    this.#options.logger.warn({ err: error.message }, 'update check failed');
    this.#set({ state: 'failed', message: error.message });
  }

  #set(status: UpdateStatus): void {
    this.#status = status;
    this.emit('status', status);
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }
}

/** The feed's release notes as plain text: a string (often HTML) or one note per version. */
export function releaseNotesText(info: Pick<UpdateInfo, 'releaseNotes' | 'version'>): string {
  const notes = info.releaseNotes;
  const text =
    typeof notes === 'string'
      ? notes
      : Array.isArray(notes)
        ? notes.map((each) => `${each.version}\n${each.note ?? ''}`).join('\n\n')
        : '';
  const plain = text
    .replace(/<(br|\/p|\/li|\/h\d)\s*\/?>/gi, '\n')
    .replace(/<li[^>]*>/gi, '• ')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return plain || `Version ${info.version} has no release notes.`;
}

/** The menu item's label for a status ("Check for updates…" does the check). */
export function updateMenuLabel(status: UpdateStatus): string {
  switch (status.state) {
    case 'not-configured':
      return 'Updates: no update feed configured';
    case 'idle':
      return 'Check for Updates…';
    case 'checking':
      return 'Checking for updates…';
    case 'up-to-date':
      return `Up to date (${status.version}); check again…`;
    case 'downloading':
      return `Downloading update ${status.version} (${status.percent} %)`;
    case 'downloaded':
      return `Restart to install ${status.version}…`;
    case 'failed':
      return 'Update check failed; try again…';
  }
}
