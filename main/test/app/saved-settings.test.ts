/**
 * The app's settings in effect: defaults until the file says otherwise, and a change taken (and
 * announced) only once it is written, so a failed write leaves the app on what the file holds.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppSettingsFile, SavedSettings, type Settings } from '../../src/core/app/app-settings.js';

const DEFAULTS: Settings = { backgroundMode: false, proxy: { enabled: true, port: 0 } };

describe('SavedSettings', () => {
  let scratch: string;
  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'switchboard-saved-settings-'));
  });
  afterEach(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('starts from the defaults, and a saved change is current, announced and read back', async () => {
    const file = new AppSettingsFile(join(scratch, 'config'), DEFAULTS);
    const settings = await SavedSettings.load(file);
    expect(settings.current).toEqual(DEFAULTS);
    let changes = 0;
    settings.on('change', () => changes++);

    const changed: Settings = { backgroundMode: true, proxy: { enabled: false, port: 8443 } };
    await settings.save(changed);
    expect(settings.current).toEqual(changed);
    expect(changes).toBe(1);
    expect(await file.read()).toEqual(changed);
  });

  it('keeps the current settings, unannounced, when the write fails', async () => {
    const configDirectory = join(scratch, 'config');
    const settings = await SavedSettings.load(new AppSettingsFile(configDirectory, DEFAULTS));
    // A file where the config directory should be: the write cannot create the settings file.
    await writeFile(configDirectory, 'not a directory');
    let changes = 0;
    settings.on('change', () => changes++);

    await expect(
      settings.save({ backgroundMode: true, proxy: { enabled: true, port: 8443 } }),
    ).rejects.toThrow();
    expect(settings.current).toEqual(DEFAULTS);
    expect(changes).toBe(0);
  });
});
