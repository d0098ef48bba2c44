/** Agent state in a directory (out of cluster): one JSON file, owner-only, written atomically. */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../logger.js';
import { type AgentState, parseState, type StateStore } from './state.js';

export const STATE_FILE_NAME = 'agent-state.json';

export class FileStateStore implements StateStore {
  readonly file: string;

  constructor(
    readonly dir: string,
    private readonly logger?: Pick<Logger, 'warn'>,
  ) {
    this.file = join(dir, STATE_FILE_NAME);
  }

  get description(): string {
    return this.file;
  }

  async load(): Promise<AgentState | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    // The private key is in there: file and directory are the owner's alone, even if made looser.
    await this.#tighten(this.dir, 0o700);
    await this.#tighten(this.file, 0o600);
    return parseState(text, this.file);
  }

  /** One agent process owns a state directory, so nothing else can have written in between. */
  async save(state: AgentState): Promise<AgentState> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await this.#tighten(this.dir, 0o700);
    const temporary = join(this.dir, `.${STATE_FILE_NAME}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(state, null, 2)}\n`);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temporary, { force: true });
      throw error;
    }
    await handle.close();
    await rename(temporary, this.file);
    // Make the rename itself durable.
    const dir = await open(this.dir, 'r');
    try {
      await dir.sync();
    } catch {
      // Some filesystems do not support fsync on directories.
    } finally {
      await dir.close();
    }
    return state;
  }

  async #tighten(path: string, mode: number): Promise<void> {
    const current = (await stat(path)).mode & 0o777;
    if ((current & 0o077) === 0) return;
    await chmod(path, mode);
    this.logger?.warn(
      { path, was: `0${current.toString(8).padStart(3, '0')}`, now: `0${mode.toString(8)}` },
      'the agent state was readable by other users; made it owner-only',
    );
  }
}
