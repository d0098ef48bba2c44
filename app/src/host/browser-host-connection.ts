/**
 * The renderer's side of the browser host (`switchboard ui`): the contract's wire messages over one
 * WebSocket. There is no reconnect: the socket only closes when the core stops, and then every
 * pending and later request fails and the app says so.
 */
import type {
  AppApi,
  AppEventName,
  AppEvents,
  AppMethod,
  AppRequestMessage,
  AppRequestParams,
  AppResponses,
} from '@switchboard/contract/app';
import {
  BROWSER_HOST_SECRET_PARAM,
  BROWSER_HOST_SOCKET_PATH,
  BROWSER_HOST_TAB_CREDENTIAL_META,
  BROWSER_HOST_TAB_CREDENTIAL_PARAM,
} from '@switchboard/contract/app';
import type { CoreConnection } from './core-connection';
import { CoreRequestError, toAppError } from './core-request-error';

const CORE_STOPPED_MESSAGE =
  'The Switchboard core stopped; start it again (switchboard ui) and reload this page.';
const NOT_CONNECTED_MESSAGE =
  'Could not connect to the Switchboard core: run `switchboard ui` again and open the new link (each link works once, in one tab).';

interface PendingRequest {
  resolve(result: unknown): void;
  reject(error: CoreRequestError): void;
}

type Listener = (data: unknown) => void;

/** Per tab and per origin (port included), so a reload finds it and no other server can read it. */
const CREDENTIAL_STORAGE_KEY = 'switchboard-ui-tab-credential';

/**
 * The page load that spent the address's one-time secret carries this tab's credential in a
 * `<meta>`: it moves to the tab's sessionStorage (a reload finds it there), the meta and the dead
 * secret leave the document and the address bar (and the history entry), and the socket opens
 * with the credential.
 */
export function openBrowserHostConnection(): CoreConnection {
  const pageUrl = new URL(window.location.href);
  if (pageUrl.searchParams.has(BROWSER_HOST_SECRET_PARAM)) {
    pageUrl.searchParams.delete(BROWSER_HOST_SECRET_PARAM);
    window.history.replaceState(window.history.state, '', pageUrl);
  }
  const meta = document.querySelector(`meta[name="${BROWSER_HOST_TAB_CREDENTIAL_META}"]`);
  const handedOver = meta?.getAttribute('content') ?? null;
  meta?.remove();
  if (handedOver !== null) storeCredential(handedOver);
  const credential = handedOver ?? storedCredential();
  const socketUrl = new URL(BROWSER_HOST_SOCKET_PATH, pageUrl);
  socketUrl.protocol = pageUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  socketUrl.search = '';
  if (credential !== null) socketUrl.searchParams.set(BROWSER_HOST_TAB_CREDENTIAL_PARAM, credential);

  const client = new BrowserHostClient(socketUrl);
  return { api: client, onLost: (listener) => client.onLost(listener) };
}

// Storage the browser refuses (site data blocked) only costs the reload: the first load has the meta.
function storedCredential(): string | null {
  try {
    return window.sessionStorage.getItem(CREDENTIAL_STORAGE_KEY);
  } catch {
    return null;
  }
}

function storeCredential(credential: string): void {
  try {
    window.sessionStorage.setItem(CREDENTIAL_STORAGE_KEY, credential);
  } catch {
    // See storedCredential.
  }
}

class BrowserHostClient implements AppApi {
  private readonly socket: WebSocket;
  private nextId = 1;
  private readonly pending = new Map<number, PendingRequest>();
  private readonly unsent: AppRequestMessage[] = [];
  private readonly listeners = new Map<AppEventName, Set<Listener>>();
  private readonly lostListeners = new Set<(reason: string) => void>();
  private lostReason: string | undefined;

  constructor(socketUrl: URL) {
    const socket = new WebSocket(socketUrl);
    let opened = false;
    socket.addEventListener('open', () => {
      opened = true;
      for (const message of this.unsent.splice(0)) socket.send(JSON.stringify(message));
    });
    socket.addEventListener('message', (event) => this.receive(event.data));
    // A socket that never opened was refused (no valid tab credential) or found no core at all.
    socket.addEventListener('close', () => this.lose(opened ? CORE_STOPPED_MESSAGE : NOT_CONNECTED_MESSAGE));
    this.socket = socket;
  }

  request<M extends AppMethod>(method: M, params: AppRequestParams<M>): Promise<AppResponses[M]> {
    if (this.lostReason !== undefined) {
      return Promise.reject(new CoreRequestError({ kind: 'internal', message: this.lostReason }));
    }
    const id = this.nextId++;
    const message: AppRequestMessage = params === undefined ? { id, method } : { id, method, params };
    return new Promise<AppResponses[M]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
      else this.unsent.push(message);
    });
  }

  on<E extends AppEventName>(event: E, listener: (data: AppEvents[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const untyped = listener as Listener;
    set.add(untyped);
    return () => set.delete(untyped);
  }

  onLost(listener: (reason: string) => void): () => void {
    const reason = this.lostReason;
    if (reason !== undefined) {
      queueMicrotask(() => listener(reason));
      return () => {};
    }
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  private receive(raw: unknown): void {
    let message: unknown;
    try {
      message = typeof raw === 'string' ? JSON.parse(raw) : undefined;
    } catch {
      message = undefined;
    }
    if (typeof message !== 'object' || message === null) {
      console.error('Switchboard: ignored a message from the core that is not a JSON object', raw);
      return;
    }
    const fields = message as Record<string, unknown>;
    if (typeof fields.id === 'number') this.settle(fields.id, fields);
    else if (typeof fields.event === 'string') this.emit(fields.event as AppEventName, fields.data);
    else
      console.error(
        'Switchboard: ignored a message from the core that is neither a response nor an event',
        message,
      );
  }

  private settle(id: number, response: Record<string, unknown>): void {
    const request = this.pending.get(id);
    if (request === undefined) return;
    this.pending.delete(id);
    if (response.ok === true) request.resolve(response.result);
    else request.reject(new CoreRequestError(toAppError(response.error)));
  }

  private emit(event: AppEventName, data: unknown): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        listener(data);
      } catch (error) {
        // One broken screen must not starve the others of events.
        reportError(error);
      }
    }
  }

  private lose(reason: string): void {
    if (this.lostReason !== undefined) return;
    this.lostReason = reason;
    this.unsent.length = 0;
    for (const request of this.pending.values()) {
      request.reject(new CoreRequestError({ kind: 'internal', message: reason }));
    }
    this.pending.clear();
    for (const listener of this.lostListeners) listener(reason);
    this.lostListeners.clear();
  }
}
