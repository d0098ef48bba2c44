/**
 * The bridge between the sandboxed renderer and the core: exposes exactly `window.switchboard`
 * (`AppApi`) and nothing of Electron or Node. Sandboxed preloads are CommonJS and may require only
 * `electron`, so the channel names are repeated here; the type below keeps them equal to the
 * contract's.
 */
import type {
  AppApi,
  AppEventMessage,
  AppEventName,
  AppResponseMessage,
  IPC_CHANNELS,
} from '@switchboard/contract/app';
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';

const channels: typeof IPC_CHANNELS = { request: 'switchboard:request', event: 'switchboard:event' };

type Listener = (data: unknown) => void;
const listeners = new Map<AppEventName, Set<Listener>>();
let nextId = 0;

ipcRenderer.on(channels.event, (_event: IpcRendererEvent, message: AppEventMessage) => {
  for (const listener of listeners.get(message.event) ?? []) listener(message.data);
});

const api: AppApi = {
  async request(method, params) {
    const response = (await ipcRenderer.invoke(channels.request, {
      id: nextId++,
      method,
      params,
    })) as AppResponseMessage | undefined;
    if (!response) throw Object.assign(new Error('the request was refused'), { kind: 'invalid-request' });
    if (!response.ok) {
      const { kind, code } = response.error;
      throw Object.assign(new Error(response.error.message), { kind, ...(code !== undefined && { code }) });
    }
    return response.result as never;
  },
  on(event, listener) {
    let set = listeners.get(event);
    if (!set) {
      set = new Set();
      listeners.set(event, set);
    }
    set.add(listener as Listener);
    return () => {
      set.delete(listener as Listener);
    };
  },
};

contextBridge.exposeInMainWorld('switchboard', api);
