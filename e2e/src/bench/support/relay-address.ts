/**
 * The address the split layout's relay listens on, which the local proxy and the agent dial: as
 * deployed by default, or loopback on request (`BENCH_RELAY_ADDRESS=deployed|loopback`).
 *
 * The dialers mask WebSocket frames with an all-zero key toward a loopback address and with random
 * keys toward any other (`clientWebSocketOptions`, `@switchboard/protocol`), and the relay serves
 * plain HTTP only on loopback. A deployed relay is never on the proxy's or the agent's loopback, so
 * "deployed" puts the relay on this machine's first non-loopback IPv4 address, with TLS: the
 * product's own code then masks every frame and encrypts the relay hops, as it does in the field,
 * with no knob of its own. The traffic still stays on this host (Linux routes a local address
 * through the loopback device), so the kernel path is the same as loopback's. "loopback" is the
 * layout of earlier rounds: plain `ws` on 127.0.0.1, no masking work.
 */
import { networkInterfaces } from 'node:os';

export interface RelayAddress {
  /** The IP address the relay listens on (and the pipe floor's inner hops). */
  host: string;
  /** True when the relay hops are as deployed: a non-loopback address, TLS, random masks. */
  deployed: boolean;
  /** What the figures include, for the benchmark's output. */
  description: string;
}

const LOOPBACK = '127.0.0.1';

export function relayAddressFromEnvironment(
  setting: string | undefined = process.env.BENCH_RELAY_ADDRESS,
  interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces(),
): RelayAddress {
  if (setting === 'loopback') {
    return {
      host: LOOPBACK,
      deployed: false,
      description: `relay hops on loopback (${LOOPBACK}, BENCH_RELAY_ADDRESS=loopback): plain ws, all-zero WebSocket masks, so the figures skip the masking and TLS a deployed relay costs`,
    };
  }
  if (setting !== undefined && setting !== 'deployed') {
    throw new Error(`BENCH_RELAY_ADDRESS must be "deployed" (the default) or "loopback", not "${setting}"`);
  }
  const host = Object.values(interfaces)
    .flat()
    .find((address) => address !== undefined && address.family === 'IPv4' && !address.internal)?.address;
  if (host === undefined) {
    return {
      host: LOOPBACK,
      deployed: false,
      description: `relay hops on loopback (${LOOPBACK}) because this machine has no non-loopback IPv4 address: plain ws, all-zero WebSocket masks, so the figures skip the masking and TLS a deployed relay costs`,
    };
  }
  return {
    host,
    deployed: true,
    description: `relay hops as deployed: the relay listens on ${host} (this host's own non-loopback address) with TLS, so the proxy and the agent dial wss:// and mask every frame with a random key (BENCH_RELAY_ADDRESS=loopback for plain ws and zero masks on 127.0.0.1)`,
  };
}

/** Read once per benchmark process: every chain and floor of a run uses the same addressing. */
export const RELAY_ADDRESS = relayAddressFromEnvironment();
