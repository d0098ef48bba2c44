/**
 * Raw HTTP bytes to a server, for requests no HTTP client would send (bad escapes, odd header
 * bytes). Bytes go out as Latin-1 so every byte value can be written; the socket is not half-closed
 * (Node's server would abort the request), so the server's own close ends the answer.
 */
import type { Socket } from 'node:net';
import { connect } from 'node:net';

/** Writes `text` on a connected socket and resolves with everything answered until it closes. */
export function exchange(socket: Socket, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.write(Buffer.from(text, 'latin1'));
  });
}

/** The same over a plain TCP connection to 127.0.0.1:`port`. */
export async function rawRequest(port: number, text: string): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return exchange(socket, text);
}
