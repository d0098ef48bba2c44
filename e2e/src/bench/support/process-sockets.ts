/**
 * The TCP connections one process holds to a port, read from Linux's /proc: the process's file
 * descriptors name socket inodes, and /proc/<pid>/net/tcp{,6} says where each inode is connected.
 * Counted from the process itself, so another process's connections to the same port (a benchmark's
 * own clients) never count.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';

/** Established TCP connections `pid` holds whose remote end is port `remotePort`. */
export async function tcpConnectionsTo(pid: number, remotePort: number): Promise<number> {
  const inodes = new Set<string>();
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }
  let connections = 0;
  for (const table of ['tcp', 'tcp6']) {
    const text = await readFile(`/proc/${pid}/net/${table}`, 'utf8').catch(() => '');
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const remote = fields[2]!;
      const established = fields[3] === '01';
      const port = Number.parseInt(remote.slice(remote.lastIndexOf(':') + 1), 16);
      if (established && port === remotePort && inodes.has(fields[9]!)) connections++;
    }
  }
  return connections;
}
