/**
 * The last line of defence of every HTTP server in Switchboard (relay, agent health probes, local
 * proxy, browser host): an exception thrown while answering one request ends that request, never
 * the process. Node hands an exception thrown by a `request` or `upgrade` listener to
 * `uncaughtException`, which ends the process, and with it every other user's sessions (in the
 * demo: relay, agent and proxy at once). Handlers still answer the inputs they expect to refuse
 * (400, 403…) themselves; this only catches what they did not foresee, answers 500 and has the
 * caller log it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void | Promise<void>;
/** Logs the failure: the answer only says that it happened. */
export type RequestFailureLog = (error: unknown, req: IncomingMessage) => void;

const INTERNAL_ERROR_TEXT = 'internal error while answering this request; it was logged\n';

/** `listener`, with a throw or rejection answered 500 (or the connection closed, once the answer began). */
export function guardRequestListener(listener: RequestListener, log: RequestFailureLog): RequestListener {
  return (req, res) => {
    const fail = (error: unknown) => {
      log(error, req);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(500, {
        'content-type': 'text/plain; charset=utf-8',
        'content-length': Buffer.byteLength(INTERNAL_ERROR_TEXT),
        'cache-control': 'no-store',
        connection: 'close',
      });
      res.end(INTERNAL_ERROR_TEXT);
    };
    try {
      const answered = listener(req, res);
      if (answered instanceof Promise) answered.catch(fail);
    } catch (error) {
      fail(error);
    }
  };
}

/** `listener`, with a throw or rejection answered 500 on the raw socket, which is then closed. */
export function guardUpgradeListener(listener: UpgradeListener, log: RequestFailureLog): UpgradeListener {
  return (req, socket, head) => {
    const fail = (error: unknown) => {
      log(error, req);
      socket.on('error', () => socket.destroy());
      if (!socket.writable) {
        socket.destroy();
        return;
      }
      socket.end(
        'HTTP/1.1 500 Internal Server Error\r\ncontent-type: text/plain; charset=utf-8\r\n' +
          `content-length: ${Buffer.byteLength(INTERNAL_ERROR_TEXT)}\r\nconnection: close\r\n\r\n` +
          INTERNAL_ERROR_TEXT,
      );
    };
    try {
      const answered = listener(req, socket, head);
      if (answered instanceof Promise) answered.catch(fail);
    } catch (error) {
      fail(error);
    }
  };
}
