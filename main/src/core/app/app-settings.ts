/**
 * The desktop app's own settings (`<config dir>/app-settings.json`): background mode and the local
 * proxy's switch and port. Validated on read (a hand-edited file with a wrong value is an error that
 * names the file), written atomically. `SavedSettings` holds the ones in effect.
 */
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../files/atomic-write.js';
import { DEFAULT_LOCAL_PROXY_PORT } from '../local-proxy/local-proxy.js';

const storedSettingsSchema = z.object({
  backgroundMode: z.boolean().optional(),
  proxy: z
    .object({
      enabled: z.boolean().optional(),
      /** 0 (any free port) only from tests; the UI offers 1024–65535. */
      port: z.number().int().min(0).max(65_535).optional(),
    })
    .optional(),
});

export interface Settings {
  /** Keep the core running in the tray when the window closes. */
  backgroundMode: boolean;
  proxy: { enabled: boolean; port: number };
}

/** Background mode is the platform habit: on where tray apps are the norm, opt-in on Linux. */
export function defaultSettings(platform: NodeJS.Platform = process.platform): Settings {
  return {
    backgroundMode: platform === 'darwin' || platform === 'win32',
    proxy: { enabled: true, port: DEFAULT_LOCAL_PROXY_PORT },
  };
}

export class SettingsFileError extends Error {
  override readonly name = 'SettingsFileError';
}

export class AppSettingsFile {
  readonly path: string;

  constructor(
    configDirectory: string,
    private readonly defaults: Settings = defaultSettings(),
  ) {
    this.path = join(configDirectory, 'app-settings.json');
  }

  async read(): Promise<Settings> {
    const text = await readFile(this.path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (text === undefined) return structuredClone(this.defaults);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new SettingsFileError(`${this.path} is not valid JSON; fix or delete it`);
    }
    const parsed = storedSettingsSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SettingsFileError(
        `${this.path}: ${issue?.path.join('.') ?? 'settings'}: ${issue?.message ?? 'invalid'}; fix or delete it`,
      );
    }
    return {
      backgroundMode: parsed.data.backgroundMode ?? this.defaults.backgroundMode,
      proxy: {
        enabled: parsed.data.proxy?.enabled ?? this.defaults.proxy.enabled,
        port: parsed.data.proxy?.port ?? this.defaults.proxy.port,
      },
    };
  }

  async write(settings: Settings): Promise<void> {
    await writeFileAtomic(this.path, `${JSON.stringify(settings, null, 2)}\n`, 0o600);
  }
}

/** The settings in effect: as read at start, then each change once written (a failed write changes nothing). */
export class SavedSettings extends EventEmitter<{ change: [] }> {
  readonly #file: AppSettingsFile;
  #current: Settings;

  private constructor(file: AppSettingsFile, current: Settings) {
    super();
    this.#file = file;
    this.#current = current;
  }

  static async load(file: AppSettingsFile): Promise<SavedSettings> {
    return new SavedSettings(file, await file.read());
  }

  get current(): Settings {
    return this.#current;
  }

  async save(settings: Settings): Promise<void> {
    await this.#file.write(settings);
    this.#current = settings;
    this.emit('change');
  }
}
