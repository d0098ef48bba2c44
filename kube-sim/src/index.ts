/**
 * kube-sim in-process: `startKubeSim()` serves a Kubernetes API on HTTPS with its own CA, runs
 * the controllers that make objects behave, and hands back what a test needs to talk to it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import {
  createSecureServer,
  constants as http2Constants,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from 'node:http2';
import { createServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResourceCatalog } from './api/resource-catalog.js';
import { Authenticator, type TokenUser } from './auth/authn.js';
import { RbacAuthorizer } from './auth/rbac.js';
import { ClusterRoleAggregation } from './controllers/cluster-role-aggregation.js';
import { CustomResourceDefinitions } from './controllers/custom-resource-definitions.js';
import { DisruptionController } from './controllers/disruption.js';
import { EventRecorder } from './controllers/events.js';
import { GarbageCollector } from './controllers/garbage-collector.js';
import { NamespaceController } from './controllers/namespaces.js';
import { PodLifecycle } from './controllers/pod-lifecycle.js';
import { ReplicationControllers } from './controllers/replication.js';
import { type Credential, kubeconfigYaml, writeFileAtomic } from './kubeconfig.js';
import { createCertificateAuthority } from './pki/certificates.js';
import { loadScenario, type ScenarioName } from './scenarios/index.js';
import { ApiServer } from './server/api-server.js';
import { ResourceRegistry } from './server/registry.js';
import { Store } from './store/store.js';
import { PodNetwork } from './workloads/pod-network.js';
import { ContainerRuntime } from './workloads/runtime.js';

export type { TokenUser } from './auth/authn.js';
export type { ScenarioName } from './scenarios/index.js';

export interface KubeSimOptions {
  /** Loopback by default; kube-sim is a test and demo server. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  scenario?: ScenarioName;
  /** Extra pods (Running, in namespace `load`) for scale tests and benchmarks. */
  extraPods?: number;
  /** Users who authenticate with a bearer token. */
  users?: TokenUser[];
  /** Where pods get their scratch directories; a fresh temporary directory by default. */
  scratchRoot?: string;
  /** How long a new pod takes to go from Pending to Running. */
  podStartDelayMs?: number;
  bookmarkIntervalMs?: number;
  /** Changes kept for watch resumption before clients get 410 Gone. */
  historySize?: number;
  /**
   * Offer HTTP/2 by ALPN beside HTTP/1.1, as kube-apiserver does (default true); `false` serves
   * HTTP/1.1 only, as an apiserver behind a proxy that does not speak HTTP/2.
   */
  http2?: boolean;
  /**
   * SETTINGS_MAX_CONCURRENT_STREAMS announced on each HTTP/2 connection: kube-apiserver's
   * --http2-max-streams-per-connection, whose default is `DEFAULT_HTTP2_MAX_STREAMS_PER_CONNECTION`.
   */
  http2MaxStreamsPerConnection?: number;
}

/**
 * kube-apiserver's default for --http2-max-streams-per-connection (its generic server sets 1000;
 * Go's own HTTP/2 server would announce 250).
 */
export const DEFAULT_HTTP2_MAX_STREAMS_PER_CONNECTION = 1000;

/** How long a dropped HTTP/2 connection has to send its GOAWAY before its socket is closed. */
const GOAWAY_GRACE_MS = 20;

/** What kube-sim's listener has seen, for tests and benchmarks that count connections. */
export interface ConnectionStats {
  /** TCP connections accepted since start. */
  accepted: number;
  /** TCP connections open now. */
  open: number;
  /** Connections that chose HTTP/2 by ALPN since start (each also counts in `accepted`). */
  http2Accepted: number;
  /** HTTP/2 connections open now (each also counts in `open`). */
  http2Open: number;
  /** HTTP/2 streams open now (requests and watches in flight), across connections. */
  http2Streams: number;
}

export interface KubeSim {
  url: string;
  caPem: string;
  store: Store;
  /** A kubeconfig for the cluster admin (client certificate, group system:masters). */
  adminKubeconfig: string;
  /** A kubeconfig for any user: with a client certificate for `username`/`groups`, or a bearer token. */
  kubeconfigFor(
    user: { username: string; groups?: string[] } | { token: string; username?: string },
  ): Promise<string>;
  /** Lets a bearer token in as a user from now on. */
  addUser(user: TokenUser): void;
  connections(): ConnectionStats;
  /**
   * Ends every client connection as a restarting apiserver does: HTTP/2 connections are sent
   * GOAWAY and then closed, HTTP/1.1 connections are closed; requests in flight (watches
   * included) end. The server keeps listening, with the same certificates and state.
   */
  dropConnections(): Promise<void>;
  close(): Promise<void>;
}

export async function startKubeSim(options: KubeSimOptions = {}): Promise<KubeSim> {
  const host = options.host ?? '127.0.0.1';
  const ca = await createCertificateAuthority();
  const serving = await ca.issue({
    commonName: 'kube-apiserver',
    serverNames: [host, '127.0.0.1', 'localhost', '::1', 'kubernetes', 'kubernetes.default.svc'],
  });
  const admin = await ca.issue({ commonName: 'kubernetes-admin', organizations: ['system:masters'] });
  const ownScratch = options.scratchRoot === undefined;
  const scratchRoot = options.scratchRoot ?? (await mkdtemp(join(tmpdir(), 'kube-sim-')));

  const store = new Store({ historySize: options.historySize });
  const registry = new ResourceRegistry(store);
  const events = new EventRecorder(store);
  const authenticator = new Authenticator({ tokens: options.users ?? [], anonymous: true });
  const authorizer = new RbacAuthorizer(store);
  const runtime = new ContainerRuntime({ scratchRoot });
  const podNetwork = new PodNetwork();
  const catalog = new ResourceCatalog();
  const definitions = new CustomResourceDefinitions(store, catalog);
  const controllers = [
    new NamespaceController(store, registry, catalog, ca.certPem),
    new ClusterRoleAggregation(store),
    new ReplicationControllers(store, registry, events),
    new GarbageCollector(store, registry, catalog),
    new DisruptionController(store),
    new PodLifecycle(store, events, runtime, { startDelayMs: options.podStartDelayMs }),
  ];

  let url = '';
  const api = new ApiServer({
    store,
    catalog,
    registry,
    authenticator,
    authorizer,
    runtime,
    connectToPod: (pod, port) => podNetwork.connect(pod, port),
    serverAddress: () => new URL(url).host,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
  });

  // Definitions are served before the scenario loads, so it can create custom objects.
  definitions.start();
  loadScenario(store, registry, catalog, options.scenario ?? 'empty', { extraPods: options.extraPods ?? 0 });
  for (const controller of controllers) controller.start();

  const tlsOptions = {
    cert: serving.certPem,
    key: serving.keyPem,
    ca: ca.certPem,
    requestCert: true,
    rejectUnauthorized: false,
  };
  const maxStreams = options.http2MaxStreamsPerConnection ?? DEFAULT_HTTP2_MAX_STREAMS_PER_CONNECTION;
  if (!Number.isInteger(maxStreams) || maxStreams < 1 || maxStreams > 2 ** 31 - 1) {
    throw new Error(
      `http2MaxStreamsPerConnection must be a whole number from 1 to 2^31-1, got ${maxStreams}`,
    );
  }
  // Upgrades (exec, attach, port-forward) arrive on HTTP/1.1 connections either way: HTTP/2 has
  // no Upgrade, and kubectl opens those on a connection of their own.
  const server =
    options.http2 === false
      ? createServer(tlsOptions)
      : createSecureServer({
          ...tlsOptions,
          allowHTTP1: true,
          settings: { maxConcurrentStreams: maxStreams, enablePush: false },
          // A thousand watches on one connection hold more than Node's 10 MB default.
          maxSessionMemory: 64,
        });
  server.on('request', (req, res) => void api.handle(req, res));
  server.on('upgrade', (req, socket, head) => void api.handleUpgrade(req, socket, head));
  // The HTTP/1.1 side of either server reads these. Watches and log streams are long-lived;
  // never let Node's request timeout cut them.
  Object.assign(server, { requestTimeout: 0, headersTimeout: 60_000, keepAliveTimeout: 90_000 });
  const sockets = new Set<Socket>();
  const sessions = new Set<ServerHttp2Session>();
  let accepted = 0;
  let http2Accepted = 0;
  let http2Streams = 0;
  server.on('connection', (socket: Socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('session', (session: ServerHttp2Session) => {
    http2Accepted += 1;
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
    session.on('stream', (stream: ServerHttp2Stream) => {
      http2Streams += 1;
      stream.once('close', () => {
        http2Streams -= 1;
      });
    });
  });
  const dropConnections = async () => {
    for (const session of sessions) session.close();
    await new Promise((resolve) => setTimeout(resolve, GOAWAY_GRACE_MS));
    for (const session of sessions) session.destroy(undefined, http2Constants.NGHTTP2_NO_ERROR);
    for (const socket of sockets) socket.destroy();
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  url = `https://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  const kubeconfig = (user: string, credential: Credential) =>
    kubeconfigYaml({ server: url, caPem: ca.certPem, user, credential });
  return {
    url,
    caPem: ca.certPem,
    store,
    adminKubeconfig: kubeconfig('kubernetes-admin', admin),
    async kubeconfigFor(user) {
      if ('token' in user) return kubeconfig(user.username ?? 'token-user', { token: user.token });
      return kubeconfig(
        user.username,
        await ca.issue({ commonName: user.username, organizations: user.groups }),
      );
    },
    addUser: (user) => authenticator.addToken(user),
    connections: () => ({
      accepted,
      open: sockets.size,
      http2Accepted,
      http2Open: sessions.size,
      http2Streams,
    }),
    dropConnections,
    async close() {
      definitions.stop();
      for (const controller of controllers) await controller.stop();
      await runtime.stopAll();
      podNetwork.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await dropConnections();
      await closed;
      if (ownScratch) await rm(scratchRoot, { recursive: true, force: true });
    },
  };
}

export async function writeKubeconfig(path: string, content: string): Promise<void> {
  await writeFileAtomic(path, content);
}
