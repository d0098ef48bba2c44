// Single-stream throughput over loopback: both sessions in this process, one direction.
// Usage: npx --no -- tsc -b protocol && node protocol/scripts/throughput.mjs [MiB, default 512]
import { WebSocket, WebSocketServer } from 'ws';
import { clientWebSocketOptions, Session, webSocketOptions } from '../dist/index.js';

const total = Number(process.argv[2] ?? 512) * 1024 * 1024;
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, ...webSocketOptions() });
await new Promise((resolve) => wss.once('listening', resolve));

const received = new Promise((resolve) => {
  wss.once('connection', (socket) => {
    const server = new Session(socket, { role: 'server' });
    server.on('stream', (request) => {
      const stream = request.accept();
      const started = performance.now();
      let bytes = 0;
      stream.on('data', (chunk) => {
        bytes += chunk.length;
      });
      stream.on('end', () =>
        resolve({ bytes, ms: performance.now() - started, window: stream.receiveWindow }),
      );
      stream.end();
    });
  });
});

const url = `ws://127.0.0.1:${wss.address().port}`;
const socket = new WebSocket(url, clientWebSocketOptions(url));
const client = new Session(socket, { role: 'client' });
const stream = await client.open(Buffer.from('{}'));
const chunk = Buffer.alloc(64 * 1024, 1);
for (let sent = 0; sent < total; sent += chunk.length) {
  if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve));
}
stream.end();

const { bytes, ms, window } = await received;
const rate = (bytes / 1e6 / (ms / 1000)).toFixed(0);
console.log(
  `${bytes / 1048576} MiB in ${ms.toFixed(0)} ms = ${rate} MB/s; receive window grew to ${window / 1024} KiB`,
);
client.close();
socket.terminate();
wss.close();
