/**
 * The door: what someone who has just cloned the repository can run. A `git clone` of this
 * repository's HEAD is installed as the README says (`npm ci`; here from the warm npm cache and
 * without the Electron binary, which these machines cannot download). Before `npm run build`
 * every command npm linked says that it is not built yet; after it, every command in the README's
 * `sh` blocks and every command the demo prints runs from the clone as a person types it (bash,
 * `npx --no -- …`), those that need a relay and a cluster against the demo started from the clone.
 * The commands are read from those texts, so one added later runs too: RUNNERS says how each kind
 * is driven (a server until its group ends, a sign-in in headless Chromium, …); any other command
 * must end by itself with exit code 0.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { completeBrowserSignIn } from '@switchboard/test-support/browser-sign-in';
import { launchChromium } from '@switchboard/test-support/headless-chromium';
import { type PrivateKeyring, startPrivateKeyring } from '@switchboard/test-support/private-keyring';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Child, Processes } from '../faults/support/processes.js';
import { type CommandGroup, demoCommandGroups, readmeCommandGroups } from './support/printed-commands.js';

const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));
/** `npm ci` compiles better-sqlite3 from source: minutes on two cores shared with other test files. */
const INSTALL_TIMEOUT_MS = 15 * 60_000;
const BUILD_TIMEOUT_MS = 10 * 60_000;
/** A command that ends by itself (`npm start` builds first). */
const COMMAND_TIMEOUT_MS = 5 * 60_000;
/** How long a server may take to say that it is ready (the demo builds first). */
const READY_TIMEOUT_MS = 5 * 60_000;

/** PATH as a fresh shell has it, without the node_modules/.bin directories `npm test` puts first. */
const PATH = (process.env.PATH ?? '')
  .split(delimiter)
  .filter((directory) => !directory.includes('node_modules'))
  .join(delimiter);

/** The clone, and what a person at this machine has: a shell, a keychain, a browser. */
interface Machine {
  clone: string;
  /** Where the README examples' `/tmp/…` paths go instead, so that runs never share files. */
  scratch: string;
  /** The person's environment: a private HOME with a keychain, and `$BROWSER`. */
  env: NodeJS.ProcessEnv;
  browser: Browser;
  processes: Processes;
  /** The next URL a command handed to the "system browser" (each one is returned once). */
  nextOpenedUrl(): Promise<string>;
  /** The demo started from the clone (`npm run demo`), once; it runs until the demo test stops it. */
  demo(): Promise<Demo>;
}

interface Demo {
  child: Child;
  /** The user it says to sign in as. */
  user: { username: string; password: string };
  commands: CommandGroup[];
}

const CLEAN_EXIT = { code: 0, signal: null };
const INTERRUPTED = { code: null, signal: 'SIGINT' };

const quoted = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/**
 * One terminal: a group's commands in order, each in bash in the clone after the `export`s typed
 * before it; servers run until the group ends.
 */
class Terminal {
  readonly #exports: string[] = [];
  readonly #servers: { server: Child; stopped: () => void }[] = [];

  constructor(readonly machine: Machine) {}

  /** Runs a command to its end. */
  run(command: string): ReturnType<Processes['run']> {
    return this.machine.processes.run(command, 'bash', ['-c', this.#script(command)], this.machine.env, {
      timeoutMs: COMMAND_TIMEOUT_MS,
    });
  }

  /** Starts a command that runs on by itself. */
  spawn(command: string): Child {
    return this.machine.processes.start(command, 'bash', ['-c', this.#script(command)], this.machine.env);
  }

  /** Starts a server: it runs until the group ends; then `stopped` checks what it left. */
  serve(command: string, stopped: () => void = () => {}): Child {
    const server = this.spawn(command);
    this.#servers.push({ server, stopped });
    return server;
  }

  /** After a command has run: an `export` holds for the commands after it, as in a shell. */
  typed(command: string): void {
    if (command.startsWith('export ')) this.#exports.push(command);
  }

  /**
   * Ctrl-C for each server, the last started first: each one stops, and in time. (npm passes a
   * command's death by SIGINT on as its own, so the shell may report that instead of exit code 0.)
   */
  async close(): Promise<void> {
    for (const { server, stopped } of this.#servers.reverse()) {
      const exit = await server.stop('SIGINT', 30_000);
      expect([CLEAN_EXIT, INTERRUPTED], `${server.name} after Ctrl-C\n${server.tail()}`).toContainEqual(exit);
      stopped();
    }
  }

  #script(command: string): string {
    return [`cd ${quoted(this.machine.clone)}`, ...this.#exports, command].join('\n');
  }
}

interface Runner {
  pattern: RegExp;
  run(command: string, terminal: Terminal): Promise<void>;
}

/** How each kind of command is run, the first match wins; commands no runner matches end by themselves. */
const RUNNERS: Runner[] = [
  {
    // The clone was installed with it before anything else ran (beforeAll).
    pattern: /^npm ci$/,
    run: async (_command, terminal) => {
      expect(existsSync(join(terminal.machine.clone, 'node_modules', '.bin'))).toBe(true);
    },
  },
  {
    pattern: /^npm run demo$/,
    run: async (_command, terminal) => {
      await terminal.machine.demo();
    },
  },
  {
    // Not run: it is the whole suite, this file included (CI runs it through `bash .ci/run`).
    pattern: /^npm test$/,
    run: async (_command, terminal) => {
      const manifest = JSON.parse(await readFile(join(terminal.machine.clone, 'package.json'), 'utf8'));
      expect(manifest.scripts.test).toMatch(/\bvitest run\b/);
    },
  },
  {
    // The Electron app cannot start: the clone has no Electron binary, which these machines cannot
    // download. `npm start` says so and names the same app in the browser instead.
    pattern: /^npm start$/,
    run: async (command, terminal) => {
      const result = await terminal.run(command);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toContain('Electron is not installed here');
      expect(result.stderr).toContain('\n  npx --no -- switchboard ui\n');
    },
  },
  {
    // The browser sign-in: the "system browser" hands the page to headless Chromium, which plays
    // the user the demo names.
    pattern: /^npx --no -- switchboard login --relay \S+$/,
    run: async (command, terminal) => {
      const { user } = await terminal.machine.demo();
      const login = terminal.spawn(command);
      const page = await completeBrowserSignIn(
        terminal.machine.browser,
        await terminal.machine.nextOpenedUrl(),
        user,
      );
      expect(page).toContain('You can close this tab');
      expect(await login.exited, login.tail()).toEqual(CLEAN_EXIT);
      expect(login.stdout).toMatch(new RegExp(`^Signed in to \\S+ as ${user.username} `));
    },
  },
  {
    // Ready once it prints its `export KUBECONFIG=…` line, after which kubectl goes through it;
    // Ctrl-C removes that kubeconfig.
    pattern: /^npx --no -- switchboard proxy\b/,
    run: async (command, terminal) => {
      let kubeconfig = '';
      const proxy = terminal.serve(command, () => expect(existsSync(kubeconfig)).toBe(false));
      const [exportLine] = await proxy.waitFor(/^export KUBECONFIG=.+$/m, { timeoutMs: READY_TIMEOUT_MS });
      kubeconfig = exportLine.slice('export KUBECONFIG='.length).replace(/^'(.*)'$/, '$1');
      expect(existsSync(kubeconfig)).toBe(true);
      const pods = await terminal.run(`${exportLine}\nkubectl get pods -A`);
      expect(pods.code, pods.stderr).toBe(0);
      expect(pods.stdout).toMatch(/^NAMESPACE +NAME +READY/);
    },
  },
  {
    // Ready once the "system browser" has its launch file, which Chromium follows to the app.
    pattern: /^npx --no -- switchboard ui$/,
    run: async (command, terminal) => {
      terminal.serve(command);
      const launchUrl = await terminal.machine.nextOpenedUrl();
      const context = await terminal.machine.browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto(launchUrl);
        await page.getByRole('heading', { name: /^(Connect to a relay|Clusters)$/ }).waitFor();
      } finally {
        await context.close();
      }
    },
  },
  {
    pattern: /^npx --no -- kube-sim\b/,
    run: async (command, terminal) => {
      const sim = terminal.serve(command);
      await sim.waitFor(/^ready https:\/\/\S+$/m, { timeoutMs: READY_TIMEOUT_MS });
    },
  },
];

const RUN_TO_THE_END: Runner = {
  pattern: /(?:)/,
  run: async (command, terminal) => {
    const result = await terminal.run(command);
    expect(result.code, `${command}\n${result.stderr}${result.stdout}`).toBe(0);
  },
};

describe('a fresh clone', { timeout: COMMAND_TIMEOUT_MS * 4 }, () => {
  const processes = new Processes();
  const usedRunners = new Set<Runner>();
  let scratch: string;
  let keyring: PrivateKeyring;
  let browser: Browser;
  let machine: Machine;
  let bins: string[];
  let startedDemo: Promise<Demo> | undefined;
  /** For npm itself: the real HOME keeps the user's npm settings and its warm cache. */
  const installEnv: NodeJS.ProcessEnv = {
    PATH,
    HOME: process.env.HOME,
    ...(process.env.TMPDIR && { TMPDIR: process.env.TMPDIR }),
    ...(process.env.npm_config_cache && { npm_config_cache: process.env.npm_config_cache }),
    ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
  };

  async function runGroup(group: CommandGroup): Promise<void> {
    const terminal = new Terminal(machine);
    for (const command of group.commands) {
      const runner = RUNNERS.find((candidate) => candidate.pattern.test(command)) ?? RUN_TO_THE_END;
      usedRunners.add(runner);
      try {
        await runner.run(command, terminal);
      } catch (error) {
        (error as Error).message = `${group.source}: ${command}\n${(error as Error).message}`;
        throw error;
      }
      terminal.typed(command);
    }
    await terminal.close();
  }

  async function startDemo(): Promise<Demo> {
    const child = processes.start(
      'npm run demo',
      'bash',
      ['-c', `cd ${quoted(machine.clone)}\nnpm run demo`],
      machine.env,
    );
    // The UI's line comes last, once everything is up.
    await child.waitFor(/^ {2}UI {2,}\S/m, { timeoutMs: READY_TIMEOUT_MS });
    const signIn = /as the demo user (\S+) \(password "([^"]*)"\):$/m.exec(child.stdout);
    expect(signIn, child.stdout).not.toBeNull();
    return {
      child,
      user: { username: signIn![1]!, password: signIn![2]! },
      commands: demoCommandGroups(child.stdout, 'the demo'),
    };
  }

  beforeAll(
    async () => {
      scratch = await mkdtemp(join(tmpdir(), 'switchboard-fresh-clone-'));
      const clone = join(scratch, 'switchboard');
      [keyring, browser] = await Promise.all([startPrivateKeyring(), launchChromium()]);

      // $BROWSER, the "system browser": it records each URL for the test to play the user there.
      const openedUrls = join(scratch, 'opened-urls');
      const opener = join(scratch, 'open-in-browser');
      await writeFile(openedUrls, '');
      await writeFile(opener, `#!/bin/sh\nprintf '%s\\n' "$1" >> ${quoted(openedUrls)}\n`, { mode: 0o755 });
      let urlsTaken = 0;
      const env: NodeJS.ProcessEnv = {
        ...keyring.env,
        PATH,
        BROWSER: opener,
        // npm's update check, which the real HOME's .npmrc turns off, would ask the registry.
        npm_config_update_notifier: 'false',
      };
      // The desktop core's own local proxy on any free port, never on the default 47011 of a
      // person's own proxy.
      const configDirectory = join(env.HOME!, '.config', 'switchboard');
      await mkdir(configDirectory, { recursive: true, mode: 0o700 });
      await writeFile(
        join(configDirectory, 'app-settings.json'),
        `${JSON.stringify({ backgroundMode: false, proxy: { enabled: true, port: 0 } })}\n`,
        { mode: 0o600 },
      );
      machine = {
        clone,
        scratch,
        env,
        browser,
        processes,
        nextOpenedUrl: async () => {
          let url: string | undefined;
          await expect
            .poll(
              async () => {
                url = (await readFile(openedUrls, 'utf8')).split('\n')[urlsTaken];
                return url;
              },
              { timeout: 60_000 },
            )
            .toBeTruthy();
          urlsTaken++;
          return url!;
        },
        demo: () => {
          startedDemo ??= startDemo();
          return startedDemo;
        },
      };

      const cloned = await processes.run(
        'git clone',
        'git',
        ['clone', '--quiet', REPOSITORY, clone],
        installEnv,
        {
          timeoutMs: 5 * 60_000,
        },
      );
      expect(cloned.code, cloned.stderr).toBe(0);
      const installed = await processes.run(
        'npm ci',
        'bash',
        ['-c', `cd ${quoted(clone)}\nnpm ci --prefer-offline --no-audit --no-fund`],
        installEnv,
        { timeoutMs: INSTALL_TIMEOUT_MS },
      );
      expect(installed.code, `${installed.stderr}${installed.stdout}`).toBe(0);

      const manifest = JSON.parse(await readFile(join(clone, 'package.json'), 'utf8'));
      bins = [];
      for (const workspace of manifest.workspaces as string[]) {
        const workspaceManifest = JSON.parse(await readFile(join(clone, workspace, 'package.json'), 'utf8'));
        bins.push(...Object.keys(workspaceManifest.bin ?? {}));
      }
    },
    INSTALL_TIMEOUT_MS + 5 * 60_000,
  );

  afterAll(async () => {
    await processes.stopAll();
    await browser?.close();
    await keyring?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }, 120_000);

  it('npm ci links every command; before `npm run build` each one says so and exits 1', async () => {
    expect(bins).toEqual(
      expect.arrayContaining(['switchboard', 'switchboard-relay', 'switchboard-agent', 'kube-sim']),
    );
    const terminal = new Terminal(machine);
    for (const bin of bins) {
      const result = await terminal.run(`npx --no -- ${bin} --help`);
      expect({ bin, code: result.code, stderr: result.stderr }).toEqual({
        bin,
        code: 1,
        stderr: `${bin} is not built yet: run \`npm run build\` in ${machine.clone}/\n`,
      });
    }
  });

  it(
    'after `npm run build`, every linked command runs',
    async () => {
      const built = await processes.run(
        'npm run build',
        'bash',
        ['-c', `cd ${quoted(machine.clone)}\nnpm run build`],
        installEnv,
        {
          timeoutMs: BUILD_TIMEOUT_MS,
        },
      );
      expect(built.code, `${built.stderr}${built.stdout}`).toBe(0);
      const terminal = new Terminal(machine);
      for (const bin of bins) {
        const result = await terminal.run(`npx --no -- ${bin} --help`);
        expect({ bin, code: result.code }, result.stderr).toEqual({ bin, code: 0 });
        expect(result.stdout).toMatch(/usage/i);
      }
    },
    BUILD_TIMEOUT_MS + 60_000,
  );

  it("runs every command in the README's code blocks", async () => {
    const readme = await readFile(join(machine.clone, 'README.md'), 'utf8');
    const groups = readmeCommandGroups(readme, 'README.md');
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) {
      await runGroup({
        ...group,
        commands: group.commands.map((command) =>
          command.replaceAll('/tmp/', `${join(machine.scratch, 'tmp')}/`),
        ),
      });
    }
  });

  it('runs every command the demo prints, against the demo; Ctrl-C stops the demo', async () => {
    const demo = await machine.demo();
    expect(demo.commands.length, demo.child.stdout).toBeGreaterThan(0);
    for (const group of demo.commands) await runGroup(group);

    await demo.child.stop('SIGINT', 60_000);
    expect(demo.child.stdout).toMatch(/^Stopped\.$/m);
    expect(existsSync(join(machine.clone, '.demo', 'kubeconfig'))).toBe(false);
  });

  it('every runner ran a command of the texts (none is left over from a command they no longer have)', () => {
    expect(RUNNERS.filter((runner) => !usedRunners.has(runner)).map((runner) => runner.pattern)).toEqual([]);
  });
});
