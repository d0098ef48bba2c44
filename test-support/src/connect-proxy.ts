/**
 * A tiny HTTP CONNECT proxy for tests: counts tunnels and the targets asked for, and the request
 * lines of plain-HTTP traffic it carries (`GET /path HTTP/1.1`), to show which requests took it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';

export class ConnectProxy {
  readonly targets: string[] = [];
  readonly requestLines: string[] = [];
  readonly #sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<ConnectProxy> {
    let proxy: ConnectProxy | undefined;
    const server = createServer((_req, res) => res.writeHead(405).end());
    server.on('connect', (req, client: Socket, head: Buffer) => {
      const target = req.url ?? '';
      proxy!.targets.push(target);
      const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target);
      if (!match) {
        client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
        return;
      }
      const upstream = connect(Number(match[2]), match[1]!, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length) upstream.write(head);
        client.on('data', (chunk: Buffer) => {
          const text = chunk.toString('latin1');
          for (const line of text.matchAll(/^(?:GET|POST|PUT|PATCH|DELETE) \S+ HTTP\/1\.1(?=\r\n)/gm)) {
            proxy!.requestLines.push(line[0]);
          }
        });
        upstream.pipe(client);
        client.pipe(upstream);
      });
      for (const socket of [client, upstream]) {
        proxy!.#sockets.add(socket);
        socket.on('close', () => proxy!.#sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new ConnectProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return proxy;
  }

  close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
