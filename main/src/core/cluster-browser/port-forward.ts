/**
 * One port-forward: a listener on 127.0.0.1 whose every connection becomes a `pods/portforward`
 * WebSocket through the session's tunnel, speaking `v4.channel.k8s.io` as
 * @kubernetes/client-node's PortForward does: one WebSocket per connection, channel 0 the data and
 * channel 1 the pod's error text, each channel's first frame from the server carrying the port
 * (uint16, little endian) before any payload. A pod that is gone (404) stops the forward, as
 * `kubectl port-forward` exits then; a refused connection is reported and the forward stays.
 */
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import type { AppError } from '@switchboard/contract/app';
import type { RawData, WebSocket } from 'ws';
import { AppRequestError, toAppError } from '../app/app-error.js';
import type { ClusterClient } from './cluster-client.js';
import { objectPath, PODS } from './kind-discovery.js';
import { KubeApiError } from './kube-api-error.js';

const PROTOCOLS = ['v4.channel.k8s.io'];
const DATA = 0;
const ERROR = 1;
/** Bytes queued towards the pod before the local connection is paused. */
const HIGH_WATER = 1024 * 1024;

export interface PortForwardOptions {
  client: () => ClusterClient;
  namespace: string;
  pod: string;
  podPort: number;
  /** 0: any free port. */
  localPort: number;
  /** Connections opened or closed, a failure, or the forward stopped on its own. */
  onChange: () => void;
}

export class PortForward {
  readonly #options: PortForwardOptions;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #webSockets = new Set<WebSocket>();
  #localPort = 0;
  #state: 'forwarding' | 'failed' = 'forwarding';
  #error: AppError | undefined;

  constructor(options: PortForwardOptions) {
    this.#options = options;
    this.#server = createServer((socket) => this.#forward(socket));
  }

  get localPort(): number {
    return this.#localPort;
  }
  get state(): 'forwarding' | 'failed' {
    return this.#state;
  }
  get error(): AppError | undefined {
    return this.#error;
  }
  get connections(): number {
    return this.#sockets.size;
  }

  /** Listens on 127.0.0.1; rejects with `port-in-use` when the port is taken. */
  async listen(): Promise<void> {
    const { localPort } = this.#options;
    this.#server.listen(localPort, '127.0.0.1');
    try {
      await once(this.#server, 'listening');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') {
        throw new AppRequestError(
          'port-in-use',
          `local port ${localPort} is already in use by another program: choose another, or leave it empty for a free one`,
        );
      }
      if (code === 'EACCES') {
        throw new AppRequestError(
          'port-in-use',
          `local port ${localPort} is not allowed here: choose one above 1024`,
        );
      }
      throw error;
    }
    this.#localPort = (this.#server.address() as { port: number }).port;
  }

  /** Stops listening and ends every connection. */
  close(): void {
    this.#server.close();
    for (const socket of this.#sockets) socket.destroy();
    for (const webSocket of this.#webSockets) webSocket.terminate();
  }

  #forward(socket: Socket): void {
    if (this.#state !== 'forwarding') {
      socket.destroy();
      return;
    }
    socket.pause();
    socket.on('error', () => {}); // the close that follows tidies up
    this.#sockets.add(socket);
    socket.once('close', () => {
      this.#sockets.delete(socket);
      this.#options.onChange();
    });
    this.#options.onChange();
    void this.#connect(socket).catch((error: unknown) => {
      socket.destroy();
      this.#failed(error);
    });
  }

  async #connect(socket: Socket): Promise<void> {
    const { client, namespace, pod, podPort } = this.#options;
    const path = `${objectPath(PODS, pod, namespace)}/portforward?ports=${podPort}`;
    const portHeaderSeen = [false, false];
    let errorText = '';
    const onMessage = (data: RawData, isBinary: boolean) => {
      if (!isBinary) return;
      const frame = Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]);
      const channel = frame[0];
      if (channel !== DATA && channel !== ERROR) return;
      let payload = frame.subarray(1);
      if (!portHeaderSeen[channel]) {
        portHeaderSeen[channel] = true;
        payload = payload.subarray(2);
      }
      if (payload.length === 0) return;
      if (channel === ERROR) {
        errorText += payload.toString('utf8');
      } else if (!socket.write(payload)) {
        opened?.pause();
        socket.once('drain', () => opened?.resume());
      }
    };
    // Frames may come with the upgrade's answer, before the socket is handed over (see webSocket).
    let opened: WebSocket | undefined;
    const webSocket = await client().webSocket(path, PROTOCOLS, onMessage);
    opened = webSocket;
    if (socket.destroyed) {
      webSocket.close();
      return;
    }
    this.#webSockets.add(webSocket);
    webSocket.on('error', () => {}); // the close that follows ends the connection
    webSocket.once('close', () => {
      this.#webSockets.delete(webSocket);
      if (errorText) {
        this.#error = {
          kind: 'internal',
          message: `the pod refused a connection to port ${podPort}: ${errorText.trim()}`,
        };
        this.#options.onChange();
      }
      socket.end();
    });
    socket.on('data', (chunk: Buffer) => {
      // Past the high-water mark the connection waits until this frame has gone out.
      const backedUp = webSocket.bufferedAmount > HIGH_WATER;
      if (backedUp) socket.pause();
      webSocket.send(Buffer.concat([Buffer.from([DATA]), chunk]), () => {
        if (backedUp) socket.resume();
      });
    });
    socket.once('end', () => webSocket.close(1000));
    socket.once('close', () => {
      if (webSocket.readyState === webSocket.OPEN) webSocket.close(1000);
    });
    socket.resume();
  }

  #failed(error: unknown): void {
    if (error instanceof KubeApiError && error.code === 404) {
      this.#state = 'failed';
      this.#error = {
        kind: 'not-found',
        message: `pod ${this.#options.pod} is gone, so the forward stopped: start a new one (a service picks a ready pod again)`,
      };
      this.#server.close();
    } else {
      this.#error = toAppError(error);
    }
    this.#options.onChange();
  }
}
