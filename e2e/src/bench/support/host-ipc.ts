/**
 * Questions to a benchmark's host process (a relay, a set of fake agents) over its IPC channel. A
 * host answers each request with a message of a known type, or `failed` with the error; one
 * question of a kind is in flight per host at a time.
 */
import type { ChildProcess } from 'node:child_process';

type Message = { type: string };

export function askHost<Reply extends Message, T extends Reply['type'], Request extends Message = Message>(
  child: ChildProcess,
  name: string,
  request: Request,
  answer: T,
): Promise<Extract<Reply, { type: T }>> {
  return new Promise((resolve, reject) => {
    const settle = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (message: Reply | { type: 'failed'; message: string }) => {
      if (message.type === 'failed') {
        settle();
        reject(new Error(`${name}: ${request.type} failed: ${(message as { message: string }).message}`));
      } else if (message.type === answer) {
        settle();
        resolve(message as Extract<Reply, { type: T }>);
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      settle();
      reject(new Error(`${name} exited (${signal ?? code}) before answering ${request.type}`));
    };
    if (child.exitCode !== null || child.signalCode !== null) {
      reject(new Error(`${name} is not running (asked ${request.type})`));
      return;
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send(request);
  });
}
