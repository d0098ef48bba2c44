import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectlBinary } from '@switchboard/test-support/kubectl-releases';
import { AGENT_CLI, KUBE_SIM_CLI, RELAY_CLI, SWITCHBOARD_CLI } from '../../support/entry-points.js';
import { type Child, Processes } from './processes.js';

/** The reconnect backoff cap given to the agent and the proxy. */
export const RECONNECT_CAP_MS = 1_000;

export interface Principal {
  clientId: string;
  clientSecret: string;
  username: string;
}

export const CI_ONE: Principal = {
  clientId: 'ci-one',
  clientSecret: 'ci-one-secret-0123456789abcdef0123456789',
  username: 'ci-bot',
};
export const CI_TWO: Principal = {
  clientId: 'ci-two',
  clientSecret: 'ci-two-secret-0123456789abcdef0123456789',
  username: 'ci-nogrant',
};

export interface ChainOptions {
  /** `--dev-idp-token-ttl`. */
  tokenTtlSeconds?: number;
  /** kube-sim `--extra-pods` (a large LIST). */
  extraPods?: number;
  /** kube-sim `--users`: bearer-token identities (service accounts) the apiserver accepts. */
  kubeSimUsers?: { username: string; token: string; groups?: string[] }[];
}

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface ProxyHandle {
  child: Child;
  port: number;
  kubeconfig: string;
}

export class Chain {
  readonly processes = new Processes();
  kubectlPath = '';
  dir = '';
  relayUrl = '';
  relayPort = 0;
  simUrl = '';
  adminKubeconfig = '';
  relay!: Child;
  agent!: Child;
  proxy!: ProxyHandle;
  #baseEnv: NodeJS.ProcessEnv = {};
  #keyring: Child[] = [];
  #relayArgs: string[] = [];

  constructor(readonly options: ChainOptions = {}) {}

  /**
   * Everything up, `kubectl get` through the proxy works. Needs kubectl 1.33: suites skip with
   * `requireKubectl(33)` where it is missing (they still construct their Chain to be collected).
   */
  async start(): Promise<void> {
    const kubectl = kubectlBinary(33);
    if (!kubectl)
      throw new Error(
        'kubectl.1.33 is not installed next to kubectl; skip the suite with requireKubectl(33)',
      );
    this.kubectlPath = kubectl;
    this.dir = await mkdtemp(join(tmpdir(), 'switchboard-faults-'));
    await Promise.all([this.#startKeyring(), this.#startKubeSim(), this.#writeRelayFiles()]);
    await this.startRelay();
    const created = await this.relayAdmin(['clusters', 'create', 'dev']);
    const joinToken = /sbj_\S+/.exec(created.stdout)?.[0];
    if (!joinToken) throw new Error(`no join token in ${created.stdout}${created.stderr}`);
    await Promise.all([
      this.relayAdmin([
        'access',
        'grant',
        '--cluster',
        'dev',
        '--user',
        CI_ONE.username,
        '--role',
        'connect',
      ]),
      this.kubectl(
        [
          'create',
          'clusterrolebinding',
          'ci-bot-admin',
          '--clusterrole=cluster-admin',
          `--user=${CI_ONE.username}`,
        ],
        { kubeconfig: this.adminKubeconfig, check: true },
      ),
      this.login(CI_ONE, this.configDir('one')),
    ]);
    this.agent = this.startAgent(joinToken);
    await this.agent.waitFor(/connected to the relay/, { stream: 'stderr' });
    this.proxy = await this.startProxy();
  }

  configDir(name: string): string {
    return join(this.dir, `config-${name}`);
  }

  /** Environment for switchboard / agent children: the private keyring, short backoff. */
  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return { ...this.#baseEnv, SWITCHBOARD_RECONNECT_MAX_DELAY_MS: String(RECONNECT_CAP_MS), ...extra };
  }

  async startRelay(): Promise<Child> {
    const listen = `127.0.0.1:${this.relayPort}`;
    this.relay = this.processes.start(
      'relay',
      process.execPath,
      [RELAY_CLI, 'serve', '--listen', listen, ...this.#relayArgs],
      {
        PATH: process.env.PATH,
        HOME: this.#baseEnv.HOME,
      },
    );
    const url = (await this.relay.waitFor(/^ready (\S+)$/m))[1]!;
    if (!this.relayUrl) {
      this.relayUrl = url;
      this.relayPort = Number(new URL(url).port);
    } else if (url !== this.relayUrl) throw new Error(`the relay came back at ${url}, not ${this.relayUrl}`);
    return this.relay;
  }

  startAgent(joinToken?: string): Child {
    const args = [AGENT_CLI, '--relay', this.relayUrl, '--kubeconfig', this.adminKubeconfig];
    args.push('--state-dir', join(this.dir, 'agent-state'));
    this.agent = this.processes.start(
      'agent',
      process.execPath,
      args,
      this.env(joinToken ? { SWITCHBOARD_JOIN_TOKEN: joinToken } : {}),
    );
    return this.agent;
  }

  /** `switchboard proxy` for the principal signed in at `configDir`; waits for the export line. */
  async startProxy({
    port = 0,
    configDir = this.configDir('one'),
    kubeconfig = join(this.dir, 'proxy.kubeconfig'),
    args = [] as string[],
  } = {}): Promise<ProxyHandle> {
    const child = this.processes.start(
      'proxy',
      process.execPath,
      [
        SWITCHBOARD_CLI,
        'proxy',
        '--relay',
        this.relayUrl,
        '--port',
        String(port),
        '--kubeconfig-out',
        kubeconfig,
        ...args,
      ],
      this.env({ SWITCHBOARD_CONFIG_DIR: configDir, SWITCHBOARD_LOG_LEVEL: 'info' }),
    );
    await child.waitFor(/^export KUBECONFIG=/m);
    const listening = Number(
      (await child.waitFor(/listening on https:\/\/127\.0\.0\.1:(\d+)/, { stream: 'stderr' }))[1],
    );
    const handle = { child, port: listening, kubeconfig };
    if (configDir === this.configDir('one')) this.proxy = handle;
    return handle;
  }

  async login(principal: Principal, configDir: string): Promise<void> {
    const secretFile = join(this.dir, `${principal.clientId}.secret`);
    await writeFile(secretFile, principal.clientSecret, { mode: 0o600 });
    await this.switchboard(
      [
        'login',
        '--relay',
        this.relayUrl,
        '--client-id',
        principal.clientId,
        '--client-secret-file',
        secretFile,
      ],
      configDir,
      { check: true },
    );
  }

  secretFile(principal: Principal): string {
    return join(this.dir, `${principal.clientId}.secret`);
  }

  async switchboard(args: string[], configDir: string, { check = false } = {}) {
    const result = await this.processes.run('switchboard', process.execPath, [SWITCHBOARD_CLI, ...args], {
      ...this.env({ SWITCHBOARD_CONFIG_DIR: configDir }),
    });
    if (check && result.code !== 0)
      throw new Error(`switchboard ${args.join(' ')} → ${result.code}\n${result.stderr}`);
    return result;
  }

  async relayAdmin(args: string[]) {
    const result = await this.processes.run(
      'relay-admin',
      process.execPath,
      [RELAY_CLI, ...args, '--data', join(this.dir, 'relay-data')],
      { PATH: process.env.PATH, HOME: this.#baseEnv.HOME },
    );
    if (result.code !== 0)
      throw new Error(`switchboard-relay ${args.join(' ')} → ${result.code}\n${result.stderr}`);
    return result;
  }

  /**
   * Real kubectl with its own HOME (discovery cache) and KUBECONFIG; every call has both
   * `--request-timeout` (unless given) and a hard deadline, each several times what a request
   * through the chain takes on a loaded 2-core machine: they end hangs, they do not time answers.
   */
  async kubectl(
    args: string[],
    { kubeconfig = this.proxy?.kubeconfig, timeoutMs = 30_000, check = false } = {},
  ): Promise<KubectlResult> {
    const withTimeout = args.some((arg) => arg.startsWith('--request-timeout'))
      ? args
      : [...args, '--request-timeout=20s'];
    const result = await this.processes.run(
      'kubectl',
      this.kubectlPath,
      withTimeout,
      this.kubectlEnv(kubeconfig),
      {
        timeoutMs,
      },
    );
    if (check && result.code !== 0) {
      throw new Error(`kubectl ${args.join(' ')} → ${result.code}\n${result.stderr}${result.stdout}`);
    }
    return result;
  }

  /** A long-running kubectl (a watch), as a child to observe and kill. */
  kubectlStream(args: string[], kubeconfig = this.proxy.kubeconfig): Child {
    return this.processes.start('kubectl-stream', this.kubectlPath, args, this.kubectlEnv(kubeconfig));
  }

  kubectlEnv(kubeconfig: string | undefined): NodeJS.ProcessEnv {
    return { PATH: process.env.PATH, HOME: join(this.dir, 'kubectl-home'), KUBECONFIG: kubeconfig ?? '' };
  }

  /** Polls `kubectl` until `accept` says yes, with a deadline; returns the accepted result. */
  async kubectlUntil(
    args: string[],
    accept: (result: KubectlResult) => boolean,
    { timeoutMs = 20_000, kubeconfig = this.proxy.kubeconfig } = {},
  ): Promise<{ result: KubectlResult; attempts: number; ms: number; seen: string[] }> {
    const started = Date.now();
    const seen: string[] = [];
    let last: KubectlResult | undefined;
    for (let attempts = 1; ; attempts++) {
      last = await this.kubectl(args, { kubeconfig });
      if (accept(last)) return { result: last, attempts, ms: Date.now() - started, seen };
      const line = `${Date.now() - started}ms: ${last.stderr.split('\n')[0]}`;
      if (!seen.some((s) => s.endsWith(line.slice(line.indexOf(':'))))) seen.push(line);
      if (Date.now() - started > timeoutMs) {
        throw new Error(
          `kubectl ${args.join(' ')} not as expected within ${timeoutMs} ms; last: ${last.code}\n${last.stderr}${last.stdout}\n${this.processes.tails()}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async close(): Promise<void> {
    await this.processes.stopAll();
    await Promise.all(this.#keyring.map((child) => child.stop('SIGKILL', 2_000)));
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }

  async #startKeyring(): Promise<void> {
    const runtime = join(this.dir, 'run');
    const home = join(this.dir, 'home');
    await mkdir(runtime, { recursive: true });
    await chmod(runtime, 0o700);
    await mkdir(join(this.dir, 'kubectl-home'), { recursive: true });
    await mkdir(join(home, '.config'), { recursive: true });
    const dbus = this.processes.start(
      'dbus',
      'dbus-daemon',
      ['--session', '--nofork', '--print-address=1', `--address=unix:path=${join(this.dir, 'bus')}`],
      { PATH: process.env.PATH },
    );
    this.#keyring.push(dbus);
    const bus = (await dbus.waitFor(/^(unix:\S+)$/m))[1]!;
    this.#baseEnv = {
      PATH: process.env.PATH,
      HOME: home,
      XDG_RUNTIME_DIR: runtime,
      XDG_DATA_HOME: join(this.dir, 'data'),
      XDG_CONFIG_HOME: join(home, '.config'),
      DBUS_SESSION_BUS_ADDRESS: bus,
    };
    const keyring = this.processes.start(
      'gnome-keyring',
      'gnome-keyring-daemon',
      ['--foreground', '--unlock', '--components=secrets'],
      this.#baseEnv,
      'faults-keyring-password',
    );
    this.#keyring.push(keyring);
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = await this.processes.run(
        'dbus-send',
        'dbus-send',
        [
          `--bus=${bus}`,
          '--print-reply',
          '--dest=org.freedesktop.DBus',
          '/org/freedesktop/DBus',
          'org.freedesktop.DBus.NameHasOwner',
          'string:org.freedesktop.secrets',
        ],
        { PATH: process.env.PATH },
      );
      if (probe.stdout.includes('boolean true')) return;
      if (Date.now() > deadline) throw new Error('gnome-keyring did not appear on the private bus');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async #startKubeSim(): Promise<void> {
    this.adminKubeconfig = join(this.dir, 'kube-sim-admin.kubeconfig');
    const args = [
      KUBE_SIM_CLI,
      '--listen',
      '127.0.0.1:0',
      '--kubeconfig',
      this.adminKubeconfig,
      '--scenario',
      'demo',
    ];
    if (this.options.extraPods) args.push('--extra-pods', String(this.options.extraPods));
    if (this.options.kubeSimUsers) {
      const usersFile = join(this.dir, 'kube-sim-users.json');
      // JSON is YAML too.
      await writeFile(usersFile, JSON.stringify(this.options.kubeSimUsers), { mode: 0o600 });
      args.push('--users', usersFile);
    }
    const sim = this.processes.start('kube-sim', process.execPath, args, { PATH: process.env.PATH });
    this.simUrl = (await sim.waitFor(/^ready (\S+)$/m, { timeoutMs: 30_000 }))[1]!;
  }

  async #writeRelayFiles(): Promise<void> {
    const usersFile = join(this.dir, 'dev-idp-users.json');
    const users = {
      users: [{ username: 'alice', password: 'alice-password-0123', groups: ['switchboard-admins'] }],
      servicePrincipals: [CI_ONE, CI_TWO].map((p) => ({ ...p, groups: ['ci'] })),
    };
    // JSON is YAML too.
    await writeFile(usersFile, JSON.stringify(users), { mode: 0o600 });
    this.#relayArgs = ['--data', join(this.dir, 'relay-data'), '--dev-idp', '--dev-idp-users', usersFile];
    if (this.options.tokenTtlSeconds !== undefined) {
      this.#relayArgs.push('--dev-idp-token-ttl', String(this.options.tokenTtlSeconds));
    }
  }
}

/** The local credential and CA of a kubeconfig written by `switchboard proxy`. */
export async function proxyCredentials(kubeconfig: string): Promise<{ token: string; ca: string }> {
  const text = await readFile(kubeconfig, 'utf8');
  const token = /token: (\S+)/.exec(text)?.[1];
  const caData = /certificate-authority-data: (\S+)/.exec(text)?.[1];
  if (!token || !caData) throw new Error(`no credential in ${kubeconfig}`);
  return { token, ca: Buffer.from(caData, 'base64').toString('utf8') };
}
