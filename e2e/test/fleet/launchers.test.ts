/**
 * The fleet tests' launchers: a real redis-server (password required, nothing persisted, stopped,
 * killed and restarted on its port) and a real HAProxy (TCP round-robin, health checks that take a
 * replica out of rotation without cutting its connections, reloads).
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer, get, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Haproxy, startHaproxy } from '@switchboard/test-support/haproxy';
import { type RedisServer, startRedis } from '@switchboard/test-support/redis-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('startRedis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  /** redis-cli with the password in its environment, never on its command line. */
  const cli = (args: string[], { authenticated = true } = {}) =>
    new Promise<string>((resolve) => {
      const env = {
        PATH: process.env.PATH,
        ...(authenticated && { REDISCLI_AUTH: decodeURIComponent(new URL(redis.url).password) }),
      };
      execFile(
        'redis-cli',
        ['-h', '127.0.0.1', '-p', String(redis.port), '--no-raw', ...args],
        { env },
        (_error, stdout, stderr) => resolve(`${stdout}${stderr}`.trim()),
      );
    });

  it('listens on its loopback port, wants the password, persists nothing and has no unix socket', async () => {
    expect(redis.url).toMatch(new RegExp(`^redis://:[0-9a-f]{48}@127\\.0\\.0\\.1:${redis.port}$`));
    expect(await cli(['PING'], { authenticated: false })).toContain('NOAUTH');
    expect(await cli(['PING'])).toBe('PONG');
    expect(await cli(['CONFIG', 'GET', 'save'])).toBe('1) "save"\n2) ""');
    expect(await cli(['CONFIG', 'GET', 'appendonly'])).toBe('1) "appendonly"\n2) "no"');
    expect(await cli(['CONFIG', 'GET', 'unixsocket'])).toBe('1) "unixsocket"\n2) ""');
  });

  it('kill drops it at once; restart brings it back on the same port, empty', async () => {
    expect(await cli(['SET', 'launcher-test', 'before'])).toBe('OK');
    await redis.kill();
    expect(await cli(['PING'])).toContain('Connection refused');
    await redis.restart();
    expect(await cli(['PING'])).toBe('PONG');
    expect(await cli(['GET', 'launcher-test'])).toBe('(nil)');
  });

  it('pause freezes it: a command goes unanswered until resume', async () => {
    const socket = connect(redis.port, '127.0.0.1');
    await once(socket, 'connect');
    let reply = '';
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
    });
    redis.pause();
    socket.write(`AUTH ${decodeURIComponent(new URL(redis.url).password)}\r\nPING\r\n`);
    // Ages for a Redis that answers in microseconds.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(reply).toBe('');
    redis.resume();
    while (reply !== '+OK\r\n+PONG\r\n') await once(socket, 'data');
    socket.destroy();
  });

  it('stop shuts it down; restart after a stop works too', async () => {
    await redis.stop();
    expect(await cli(['PING'])).toContain('Connection refused');
    await redis.restart();
    expect(await cli(['PING'])).toBe('PONG');
  });
});

/** An HTTP server that answers every request with its name, and /readyz with 200 or 503. */
class Replica {
  ready = true;
  readonly server: Server;

  constructor(readonly name: string) {
    this.server = createServer((req, res) => {
      if (req.url === '/readyz') res.writeHead(this.ready ? 200 : 503).end();
      else res.end(name);
    });
  }

  async start(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return this;
  }

  get backend() {
    return { name: this.name, host: '127.0.0.1', port: (this.server.address() as AddressInfo).port };
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Which replica answers a request on a new connection through the load balancer. */
function answerOnNewConnection(haproxy: Haproxy): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: haproxy.host, port: haproxy.port, path: '/', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve(body));
    }).once('error', reject);
  });
}

/** A request on a connection the test keeps open, answered by whichever replica holds it. */
async function answerOn(socket: Socket): Promise<string> {
  socket.write('GET / HTTP/1.1\r\nHost: fleet\r\n\r\n');
  const [chunk] = (await once(socket, 'data')) as [Buffer];
  return chunk.toString().split('\r\n\r\n')[1]!;
}

describe('startHaproxy', () => {
  const replicas = [new Replica('a'), new Replica('b'), new Replica('c')];
  const [a, b, c] = replicas as [Replica, Replica, Replica];
  let haproxy: Haproxy;

  beforeAll(async () => {
    await Promise.all(replicas.map((replica) => replica.start()));
    haproxy = await startHaproxy({ backends: [a.backend, b.backend], healthCheck: { path: '/readyz' } });
  });
  afterAll(async () => {
    await haproxy?.stop();
    await Promise.all(replicas.map((replica) => replica.close()));
  });

  it('sends each new connection to the next replica in turn', async () => {
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) answers.push(await answerOnNewConnection(haproxy));
    expect(answers.filter((name) => name === 'a')).toHaveLength(3);
    expect(answers.filter((name) => name === 'b')).toHaveLength(3);
    for (let i = 1; i < answers.length; i++) expect(answers[i]).not.toBe(answers[i - 1]);
  });

  it('a replica failing its health check leaves the rotation but keeps its connections; it returns when ready', async () => {
    // A connection held on a, as a tunnel session would be.
    let held: Socket | undefined;
    for (;;) {
      const socket = connect(haproxy.port, haproxy.host);
      await once(socket, 'connect');
      if ((await answerOn(socket)) === 'a') {
        held = socket;
        break;
      }
      socket.destroy();
    }
    a.ready = false;
    await haproxy.waitForServer('a', 'DOWN');
    for (let i = 0; i < 4; i++) expect(await answerOnNewConnection(haproxy)).toBe('b');
    expect(await answerOn(held)).toBe('a');
    held.destroy();

    a.ready = true;
    await haproxy.waitForServer('a', 'UP');
    const answers = new Set<string>();
    for (let i = 0; i < 4; i++) answers.add(await answerOnNewConnection(haproxy));
    expect(answers).toEqual(new Set(['a', 'b']));
  });

  it('reload changes the replicas: a new one joins the rotation, a removed one leaves it', async () => {
    await haproxy.reload([b.backend, c.backend]);
    const answers: string[] = [];
    for (let i = 0; i < 4; i++) answers.push(await answerOnNewConnection(haproxy));
    expect(answers.sort()).toEqual(['b', 'b', 'c', 'c']);
    expect(haproxy.serverState('c')).toBe('UP');
    expect(() => haproxy.serverState('a')).toThrow('haproxy has no backend "a"');
  });

  it('holds at most maxConnections client connections: the next one is served only when one ends', async () => {
    const limited = await startHaproxy({ backends: [a.backend], maxConnections: 2 });
    const sockets: Socket[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const socket = connect(limited.port, limited.host);
        sockets.push(socket);
        await once(socket, 'connect');
      }
      const [first, second, third] = sockets as [Socket, Socket, Socket];
      expect(await answerOn(first)).toBe('a');
      expect(await answerOn(second)).toBe('a');
      // The third waits in the listen backlog, unanswered, while two are held.
      third.write('GET / HTTP/1.1\r\nHost: fleet\r\n\r\n');
      const answered = once(third, 'data');
      const early = await Promise.race([answered.then(() => 'answered'), sleep(300).then(() => 'waiting')]);
      expect(early).toBe('waiting');
      first.destroy();
      const [chunk] = (await answered) as [Buffer];
      expect(chunk.toString().split('\r\n\r\n')[1]).toBe('a');
    } finally {
      for (const socket of sockets) socket.destroy();
      await limited.stop();
    }
  });

  it('refuses a maxConnections that is not a positive whole number, before starting anything', async () => {
    await expect(startHaproxy({ backends: [a.backend], maxConnections: 0 })).rejects.toThrow(
      'maxConnections must be a positive whole number: 0',
    );
  });

  it('refuses a backend name HAProxy could not parse, before starting anything', async () => {
    await expect(startHaproxy({ backends: [{ name: 'a b', host: '127.0.0.1', port: 1 }] })).rejects.toThrow(
      'invalid haproxy backend name: "a b"',
    );
  });
});
