/**
 * What port-forward reaches: each container port a pod declares answers HTTP from an in-process
 * responder (an nginx image says "Welcome to nginx!"), so `kubectl port-forward` + `curl` work
 * end to end. Undeclared ports refuse the connection, as a pod with nothing listening does.
 */

import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import type { Duplex } from 'node:stream';
import type { KubeObject } from '../api/objects.js';

interface ContainerPort {
  containerPort: number;
  name?: string;
}

interface Container {
  name: string;
  image?: string;
  ports?: ContainerPort[];
}

export class PodNetwork {
  private readonly responders = new Map<string, Promise<Server>>();

  async connect(pod: KubeObject, port: number): Promise<Duplex> {
    const containers = (pod.spec as { containers?: Container[] } | undefined)?.containers ?? [];
    const container = containers.find((c) => (c.ports ?? []).some((p) => p.containerPort === port));
    if (!container) {
      throw Object.assign(new Error(`dial tcp4 127.0.0.1:${port}: connect: connection refused`), {
        code: 'ECONNREFUSED',
      });
    }
    const key = `${pod.metadata.uid}/${port}`;
    let responder = this.responders.get(key);
    if (!responder) {
      responder = respond(pod, container, port);
      this.responders.set(key, responder);
    }
    const server = await responder;
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    await once(socket, 'connect');
    return socket;
  }

  close(): void {
    for (const responder of this.responders.values()) void responder.then((server) => server.close());
    this.responders.clear();
  }
}

async function respond(pod: KubeObject, container: Container, port: number): Promise<Server> {
  const nginx = (container.image ?? '').split('/').pop()?.startsWith('nginx');
  const server = createServer((req, res) => {
    res.setHeader('Server', nginx ? 'nginx/1.27.3' : 'kube-sim');
    if (nginx) {
      res.setHeader('Content-Type', 'text/html');
      res.end(
        '<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n',
      );
      return;
    }
    res.setHeader('Content-Type', 'text/plain');
    res.end(
      `${pod.metadata.namespace}/${pod.metadata.name} container ${container.name} port ${port}: ${req.method} ${req.url}\n`,
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}
