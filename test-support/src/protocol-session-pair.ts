/**
 * Two sessions of the built protocol package over a real WebSocket on loopback, for the tests of
 * code that runs on sessions (the local proxy's stream pool). The protocol's own tests pair the
 * sessions of its source instead (protocol/test/harness.ts): that source is what they test.
 */
import type { AddressInfo } from 'node:net';
import { Session, type SessionOptions, webSocketOptions } from '@switchboard/protocol';
import { WebSocket, WebSocketServer } from 'ws';

type SideOptions = Omit<SessionOptions, 'role'>;

export interface Pair {
  client: Session;
  server: Session;
  close(): Promise<void>;
}

export async function sessionPair(
  clientOptions: SideOptions = {},
  serverOptions: SideOptions = {},
): Promise<Pair> {
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    ...webSocketOptions(serverOptions.maxFramePayload),
  });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const accepted = new Promise<{ socket: WebSocket; session: Session }>((resolve) => {
    wss.once('connection', (socket) =>
      resolve({ socket, session: new Session(socket, { role: 'server', ...serverOptions }) }),
    );
  });
  const clientSocket = new WebSocket(
    `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    webSocketOptions(clientOptions.maxFramePayload),
  );
  const client = new Session(clientSocket, { role: 'client', ...clientOptions });
  const { socket: serverSocket, session: server } = await accepted;
  return {
    client,
    server,
    async close() {
      client.close('test done');
      server.close('test done');
      clientSocket.terminate();
      serverSocket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
