/**
 * What only the desktop shell remembers, in `<config dir>/desktop.json` (no secrets): whether it
 * notifies, starts at login, has explained close-to-tray once, where its window was, and the
 * update feed. The core's settings (background mode, proxy port) stay the core's. An unreadable or
 * invalid file is replaced by the defaults with a warning rather than keeping the app from starting.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/files/atomic-write.js';

/**
 * An update feed: HTTPS, since the feed's checksums are all that vouches for an installer on Linux
 * and macOS; plain HTTP only on this machine (a local mirror, tests).
 */
export const updateFeedUrlSchema = z.url({ protocol: /^https?$/ }).refine((url) => {
  const { protocol, hostname } = new URL(url);
  return protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
}, 'the update feed must be an https:// URL (http:// only on 127.0.0.1 or localhost)');

const windowBoundsSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(200).max(20_000),
  height: z.number().int().min(200).max(20_000),
  maximized: z.boolean(),
});
export type WindowBounds = z.infer<typeof windowBoundsSchema>;

const desktopSettingsSchema = z.object({
  notifications: z.boolean().default(true),
  startAtLogin: z.boolean().default(false),
  /** The first close with background mode on says the app is still in the tray; later ones do not. */
  closeToTrayExplained: z.boolean().default(false),
  window: windowBoundsSchema.optional(),
  /** Where electron-updater's generic feed is (`latest*.yml` and the installers); overrides the built-in one. */
  updateFeedUrl: updateFeedUrlSchema.optional(),
  /** The zoom factor of the window (View menu). */
  zoomFactor: z.number().min(0.5).max(3).default(1),
});
export type DesktopSettings = z.infer<typeof desktopSettingsSchema>;

export const DESKTOP_SETTINGS_FILE = 'desktop.json';

export class DesktopSettingsFile {
  readonly #path: string;
  #settings: DesktopSettings;

  private constructor(path: string, settings: DesktopSettings) {
    this.#path = path;
    this.#settings = settings;
  }

  static async load(configDirectory: string, warn: (message: string) => void): Promise<DesktopSettingsFile> {
    const path = join(configDirectory, DESKTOP_SETTINGS_FILE);
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') warn(`${path} could not be read (${error.message}); using the defaults`);
      return undefined;
    });
    let settings = desktopSettingsSchema.parse({});
    if (text !== undefined) {
      try {
        const parsed = desktopSettingsSchema.safeParse(JSON.parse(text));
        if (parsed.success) settings = parsed.data;
        else warn(`${path} is not valid (${z.prettifyError(parsed.error)}); using the defaults`);
      } catch (error) {
        warn(`${path} is not JSON (${(error as Error).message}); using the defaults`);
      }
    }
    return new DesktopSettingsFile(path, settings);
  }

  get current(): DesktopSettings {
    return this.#settings;
  }

  async update(change: Partial<DesktopSettings>): Promise<DesktopSettings> {
    this.#settings = desktopSettingsSchema.parse({ ...this.#settings, ...change });
    await writeFileAtomic(this.#path, `${JSON.stringify(this.#settings, null, 2)}\n`);
    return this.#settings;
  }
}
