/**
 * Heartbeats (tunnel contract, `agentHeartbeatSchema`): on each relay session, a stream the agent
 * opens when the session starts and then every interval, whose OPEN metadata is the heartbeat
 * JSON. The relay records it and closes the stream. A heartbeat that fails (the relay refuses
 * agent-opened streams, the session is ending) is logged at debug and dropped: it must never
 * disturb the session that serves users.
 */
import { type AgentHeartbeat, agentHeartbeatSchema } from '@switchboard/contract/tunnel';
import { ErrorCode, type Session, StreamResetError } from '@switchboard/protocol';
import type { Logger } from '../logger.js';
import type { SessionObserver } from '../tunnel/connector.js';
import type { ClusterFacts } from './cluster-reader.js';
import { ProcessUsageSampler } from './process-usage.js';

export interface HeartbeatSenderOptions {
  /** Cluster facts (cached by the reader, so every session may ask at every beat). */
  facts: () => Promise<ClusterFacts>;
  intervalMs: number;
  agentVersion: string;
  logger: Logger;
}

/** The relay answers a heartbeat with FIN at once; a stream left open longer than this is reset. */
const HEARTBEAT_STREAM_TIMEOUT_MS = 30_000;

interface Beat {
  timer: NodeJS.Timeout;
  sampler: ProcessUsageSampler;
  sending: boolean;
}

export class HeartbeatSender implements SessionObserver {
  readonly #beats = new Map<Session, Beat>();

  constructor(private readonly options: HeartbeatSenderOptions) {}

  sessionStarted(session: Session, slot: number): void {
    const beat: Beat = {
      timer: setInterval(() => this.#beat(session, slot, beat), this.options.intervalMs),
      sampler: new ProcessUsageSampler(),
      sending: false,
    };
    beat.timer.unref();
    this.#beats.set(session, beat);
    this.#beat(session, slot, beat);
  }

  sessionEnded(session: Session): void {
    const beat = this.#beats.get(session);
    if (beat) clearInterval(beat.timer);
    this.#beats.delete(session);
  }

  /** Stops every session's heartbeats (the agent is stopping). */
  close(): void {
    for (const session of [...this.#beats.keys()]) this.sessionEnded(session);
  }

  #beat(session: Session, slot: number, beat: Beat): void {
    // A slow apiserver must not pile up heartbeats: skip a beat while the last one is under way.
    if (beat.sending) return;
    beat.sending = true;
    this.#send(session, beat)
      .catch((error: Error) => {
        const refused = error instanceof StreamResetError;
        this.options.logger.debug(
          { slot, err: error.message },
          refused ? 'the relay did not take the heartbeat' : 'cannot send the heartbeat',
        );
      })
      .finally(() => {
        beat.sending = false;
      });
  }

  async #send(session: Session, beat: Beat): Promise<void> {
    const heartbeat = await this.#heartbeat(beat.sampler);
    if (session.state !== 'open' || !this.#beats.has(session)) return;
    const stream = await session.open(Buffer.from(JSON.stringify(heartbeat), 'utf8'));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(
        () => stream.reset(ErrorCode.Cancel, 'heartbeat not closed'),
        HEARTBEAT_STREAM_TIMEOUT_MS,
      );
      timer.unref();
      stream.on('error', () => {});
      stream.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      stream.resume();
      stream.end();
    });
  }

  async #heartbeat(sampler: ProcessUsageSampler): Promise<AgentHeartbeat> {
    const facts = await this.options.facts();
    const usage = sampler.sample();
    return agentHeartbeatSchema.parse({
      type: 'heartbeat',
      agentVersion: this.options.agentVersion,
      ...facts,
      agentCpuCores: usage.cpuCores,
      agentMemoryBytes: usage.memoryBytes,
    });
  }
}
