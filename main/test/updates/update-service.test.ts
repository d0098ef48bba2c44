/**
 * The update logic against a real generic feed: a local HTTP server serves `latest-linux.yml` and
 * an installer as `npm run dist` publishes them, and a real electron-updater `DebUpdater` (the
 * class the deb-installed app uses) checks, downloads and verifies through `UpdateService`. Only
 * Electron is left out: the updater gets a Node app adapter and Node's HTTP client in place of
 * Electron's `app` and `net`, which is what the Electron binary would add.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type RequestOptions, request, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import electronUpdater from 'electron-updater';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  releaseNotesText,
  UpdateService,
  updateMenuLabel,
} from '../../src/electron-main/updates/update-service.js';

const { DebUpdater } = electronUpdater;
// electron-updater's own HTTP base class, from where electron-updater resolves it.
const runtime = createRequire(createRequire(import.meta.url).resolve('electron-updater'))(
  'builder-util-runtime',
) as typeof import('builder-util-runtime');

/** What electron-updater's ElectronHttpExecutor does over Electron's `net`, over Node's `http`. */
class NodeHttpExecutor extends runtime.HttpExecutor<ReturnType<typeof request>> {
  createRequest(options: RequestOptions, callback: (response: IncomingMessage) => void) {
    return request(options, callback);
  }

  download(
    url: URL,
    destination: string,
    options: import('builder-util-runtime').DownloadOptions,
  ): Promise<string> {
    return options.cancellationToken.createPromise((resolve, reject, onCancel) => {
      const requestOptions = { headers: options.headers ?? undefined };
      runtime.configureRequestUrl(url, requestOptions);
      runtime.configureRequestOptions(requestOptions);
      this.doDownload(
        requestOptions,
        {
          destination,
          options,
          onCancel,
          callback: (error) => (error ? reject(error) : resolve(destination)),
          responseHandler: null,
        },
        0,
      );
    });
  }
}

const installer = randomBytes(64 * 1024);
const sha512 = createHash('sha512').update(installer).digest('base64');
let feed: { status: number; yml: string } = { status: 404, yml: '' };
const downloads: string[] = [];
let server: Server;
let feedUrl: string;
let work: string;

function latestLinuxYml(version: string, options: { sha512?: string; notes?: string } = {}): string {
  return [
    `version: ${version}`,
    'files:',
    `  - url: Switchboard_${version}_amd64.deb`,
    `    sha512: ${options.sha512 ?? sha512}`,
    `    size: ${installer.length}`,
    `path: Switchboard_${version}_amd64.deb`,
    `sha512: ${options.sha512 ?? sha512}`,
    "releaseDate: '2026-12-01T10:00:00.000Z'",
    ...(options.notes ? [`releaseNotes: ${JSON.stringify(options.notes)}`] : []),
  ].join('\n');
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'switchboard-updates-'));
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/feed/latest-linux.yml') {
      res.writeHead(feed.status, { 'content-type': 'text/yaml' }).end(feed.yml);
    } else if (path.startsWith('/feed/') && path.endsWith('.deb')) {
      downloads.push(path);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': installer.length });
      res.end(installer);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  feedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(work, { recursive: true, force: true });
});
afterEach(() => {
  downloads.length = 0;
});

let runs = 0;
function serviceFor(version: string): UpdateService {
  const home = join(work, `run-${++runs}`);
  const updater = new DebUpdater(null, {
    version,
    name: 'Switchboard',
    isPackaged: true,
    appUpdateConfigPath: join(home, 'app-update.yml'),
    userDataPath: join(home, 'user-data'),
    baseCachePath: join(home, 'cache'),
    whenReady: () => Promise.resolve(),
    relaunch: () => {},
    quit: () => {},
    onQuit: () => {},
  });
  // Electron's `net` is what the app uses; here it is Node's `http` (see NodeHttpExecutor).
  (updater as unknown as { httpExecutor: NodeHttpExecutor }).httpExecutor = new NodeHttpExecutor();
  const warnings: string[] = [];
  return new UpdateService({
    updater,
    feedUrl,
    updateConfigFile: join(home, 'user-data', 'app-update.yml'),
    logger: { info: () => {}, warn: (_object, message) => warnings.push(message) },
  });
}

describe('updates from a generic feed', () => {
  it('finds a newer version, downloads and verifies it, and has its release notes ready', async () => {
    feed = {
      status: 200,
      yml: latestLinuxYml('0.2.0', {
        notes: '<p>Faster <b>tunnels</b> &amp; a tray</p><ul><li>deep links</li></ul>',
      }),
    };
    const service = serviceFor('0.1.0');
    const seen: string[] = [];
    service.on('status', (status) => seen.push(status.state));
    const status = await service.checkNow();
    expect(status).toEqual({
      state: 'downloaded',
      version: '0.2.0',
      releaseNotes: 'Faster tunnels & a tray\n• deep links',
    });
    expect(downloads).toEqual(['/feed/Switchboard_0.2.0_amd64.deb']);
    expect(seen[0]).toBe('checking');
    expect(seen).toContain('downloading');
    expect(updateMenuLabel(status)).toBe('Restart to install 0.2.0…');
    // Checking again does not download again.
    expect(await service.checkNow()).toBe(status);
    expect(downloads).toHaveLength(1);
  });

  it('says it is up to date when the feed has the running version', async () => {
    feed = { status: 200, yml: latestLinuxYml('0.1.0') };
    const status = await serviceFor('0.1.0').checkNow();
    expect(status).toMatchObject({ state: 'up-to-date', version: '0.1.0' });
    expect(downloads).toEqual([]);
  });

  it('refuses an installer whose checksum does not match the feed', async () => {
    feed = {
      status: 200,
      yml: latestLinuxYml('0.3.0', { sha512: createHash('sha512').update('other').digest('base64') }),
    };
    const status = await serviceFor('0.1.0').checkNow();
    expect(status.state).toBe('failed');
    expect(status.state === 'failed' && status.message).toMatch(/sha512 checksum mismatch/);
  });

  it('fails clearly when the feed has no metadata for this platform', async () => {
    feed = { status: 404, yml: '' };
    const status = await serviceFor('0.1.0').checkNow();
    expect(status.state === 'failed' && status.message).toMatch(/Cannot find channel "latest-linux.yml"/);
  });

  it('without a feed only says updates are not configured', async () => {
    const service = new UpdateService({ updater: undefined, logger: { info: () => {}, warn: () => {} } });
    expect(await service.checkNow()).toEqual({ state: 'not-configured' });
    expect(updateMenuLabel(service.status)).toBe('Updates: no update feed configured');
  });
});

describe('release notes', () => {
  it('joins per-version notes and falls back when there are none', () => {
    expect(
      releaseNotesText({
        version: '0.3.0',
        releaseNotes: [
          { version: '0.3.0', note: 'Tray' },
          { version: '0.2.0', note: 'Updates' },
        ],
      }),
    ).toBe('0.3.0\nTray\n\n0.2.0\nUpdates');
    expect(releaseNotesText({ version: '0.3.0', releaseNotes: null })).toBe(
      'Version 0.3.0 has no release notes.',
    );
  });
});
