/**
 * Shells that outlive the view showing them: each session owns its exec (`startExec`, bash with sh
 * as the fallback) and its xterm.js terminal with the scrollback, so closing the details, switching
 * kind or pod and coming back shows the same shell, still running. Only closing its tab (or the
 * shell exiting and the tab being closed) ends it. One store per core connection, for the page's
 * life; this module loads with the terminal, the first time someone opens a shell.
 */

import type { AppApi, AppError } from '@switchboard/contract/app';
import { FitAddon } from '@xterm/addon-fit';
import { type ITheme, Terminal as XTerm } from '@xterm/xterm';
import { openSubscription } from './open-subscription';

export interface ShellTarget {
  cluster: string;
  namespace: string;
  pod: string;
  container: string;
}

export type ShellPhase = 'starting' | 'running' | 'exited' | 'failed';

/** bash when the image has it, else sh, as `kubectl exec` users try them by hand. */
const SHELL = ['bash'];
const FALLBACK_SHELL = ['sh'];
/** The contract caps one `execInput` at 65,536 characters; a big paste goes in pieces. */
const MAX_INPUT_CHUNK = 16_384;

const LIGHT: ITheme = {
  background: '#ffffff',
  foreground: '#1f2328',
  cursor: '#1f2328',
  selectionBackground: '#b6d4fe',
};
const DARK: ITheme = {
  background: '#0d1117',
  foreground: '#e6edf3',
  cursor: '#e6edf3',
  selectionBackground: '#264f78',
};
const DARK_SCHEME = '(prefers-color-scheme: dark)';

function inputChunks(data: string): string[] {
  const chunks: string[] = [];
  let start = 0;
  while (start < data.length) {
    let end = Math.min(start + MAX_INPUT_CHUNK, data.length);
    // Never split a surrogate pair between two requests.
    const last = data.charCodeAt(end - 1);
    if (end < data.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    chunks.push(data.slice(start, end));
    start = end;
  }
  return chunks;
}

let nextId = 1;

export class ShellSession {
  readonly id = `shell-${nextId++}`;
  readonly target: ShellTarget;
  readonly title: string;
  phase: ShellPhase = 'starting';
  /** The shell that runs (bash, or sh when the image has no bash). */
  command: string[] | undefined;
  exit: { code: number; message?: string } | undefined;
  error: AppError | undefined;
  readonly #api: AppApi;
  readonly #xterm: XTerm;
  readonly #fit = new FitAddon();
  readonly #onChange: () => void;
  readonly #darkScheme = window.matchMedia(DARK_SCHEME);
  #execId: string | undefined;
  #heldInput = '';
  #closeExec: () => void;
  #opened = false;

  constructor(api: AppApi, target: ShellTarget, title: string, onChange: () => void) {
    this.#api = api;
    this.target = target;
    this.title = title;
    this.#onChange = onChange;
    this.#xterm = new XTerm({
      cursorBlink: true,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
      fontSize: 13,
      scrollback: 5000,
      theme: this.#darkScheme.matches ? DARK : LIGHT,
    });
    this.#xterm.loadAddon(this.#fit);
    this.#xterm.onData((data) => this.#input(data));
    this.#xterm.onResize(({ cols, rows }) => {
      if (this.#execId !== undefined && this.phase === 'running') {
        this.#api.request('execResize', { execId: this.#execId, columns: cols, rows }).catch(() => {});
      }
    });
    this.#darkScheme.addEventListener('change', this.#followScheme);
    this.#closeExec = this.#start();
  }

  /** Shows the terminal in `element` (the first time it is opened there, later it is moved there). */
  attach(element: HTMLElement): void {
    if (!this.#opened) {
      this.#xterm.open(element);
      this.#opened = true;
    } else if (this.#xterm.element !== undefined) {
      element.appendChild(this.#xterm.element);
    }
    this.fit();
    this.#xterm.focus();
  }

  /** The view went away: the terminal stays, off screen, and keeps receiving output. */
  detach(element: HTMLElement): void {
    const terminalElement = this.#xterm.element;
    if (terminalElement !== undefined && terminalElement.parentElement === element) {
      element.removeChild(terminalElement);
    }
  }

  fit(): void {
    if (this.#opened && this.#xterm.element?.isConnected) this.#fit.fit();
  }

  focus(): void {
    this.#xterm.focus();
  }

  /** Ends the shell (if it still runs) and frees the terminal. */
  dispose(): void {
    this.#closeExec();
    this.#darkScheme.removeEventListener('change', this.#followScheme);
    this.#xterm.dispose();
  }

  readonly #followScheme = (event: MediaQueryListEvent) => {
    this.#xterm.options.theme = event.matches ? DARK : LIGHT;
  };

  #start(): () => void {
    const { cluster, namespace, pod, container } = this.target;
    return openSubscription({
      api: this.#api,
      event: 'exec',
      idOf: (event) => event.execId,
      start: async () =>
        (
          await this.#api.request('startExec', {
            cluster,
            namespace,
            pod,
            container,
            command: SHELL,
            fallbackCommand: FALLBACK_SHELL,
            columns: this.#xterm.cols,
            rows: this.#xterm.rows,
          })
        ).execId,
      stop: (execId) => this.#api.request('stopExec', { execId }),
      onStarted: (execId) => {
        this.#execId = execId;
        this.phase = 'running';
        // The terminal may have been fitted to its box before the shell started.
        this.#api
          .request('execResize', { execId, columns: this.#xterm.cols, rows: this.#xterm.rows })
          .catch(() => {});
        const held = this.#heldInput;
        this.#heldInput = '';
        this.#input(held);
        this.#onChange();
      },
      onEvent: (event) => {
        if ('output' in event) {
          this.#xterm.write(event.output);
        } else if ('started' in event) {
          this.command = event.started.command;
          this.#onChange();
        } else {
          this.exit = event.exit;
          this.phase = 'exited';
          this.#onChange();
        }
      },
      onStartError: (error) => {
        this.error = error;
        this.phase = 'failed';
        this.#onChange();
      },
    });
  }

  #input(data: string): void {
    if (data === '') return;
    if (this.phase === 'starting') {
      this.#heldInput += data;
      return;
    }
    // Input after the shell ended has nowhere to go; the exit is shown instead.
    if (this.phase !== 'running' || this.#execId === undefined) return;
    for (const chunk of inputChunks(data)) {
      this.#api.request('execInput', { execId: this.#execId, data: chunk }).catch(() => {});
    }
  }
}

/** Every shell session of one core connection, in the order they were opened. */
export class ShellSessions {
  readonly #api: AppApi;
  #sessions: ShellSession[] = [];
  readonly #listeners = new Set<() => void>();
  /** Bumped on every change, so views can subscribe with useSyncExternalStore. */
  #version = 0;

  constructor(api: AppApi) {
    this.#api = api;
  }

  get sessions(): readonly ShellSession[] {
    return this.#sessions;
  }

  readonly version = () => this.#version;

  readonly subscribe = (listener: () => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** A new shell, named by pod/container (numbered when that name is taken). */
  open(target: ShellTarget): ShellSession {
    const base = `${target.pod}/${target.container}`;
    const taken = new Set(this.#sessions.map((session) => session.title));
    let title = base;
    for (let number = 2; taken.has(title); number++) title = `${base} (${number})`;
    const session = new ShellSession(this.#api, target, title, () => this.#changed());
    this.#sessions = [...this.#sessions, session];
    this.#changed();
    return session;
  }

  close(id: string): void {
    const session = this.#sessions.find((each) => each.id === id);
    if (!session) return;
    session.dispose();
    this.#sessions = this.#sessions.filter((each) => each !== session);
    this.#changed();
  }

  #changed(): void {
    this.#version += 1;
    for (const listener of this.#listeners) listener();
  }
}

const stores = new WeakMap<AppApi, ShellSessions>();

/** The shell sessions of this core connection (created on first use). */
export function shellSessionsOf(api: AppApi): ShellSessions {
  let store = stores.get(api);
  if (!store) {
    store = new ShellSessions(api);
    stores.set(api, store);
  }
  return store;
}
