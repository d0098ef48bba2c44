/**
 * The renderer's requests, dispatched: one handler per method of the contract, each checked by the
 * compiler against its method's params and result and handed to the service that answers it, and
 * every request's params validated with the method's schema before its handler runs (the renderer
 * is untrusted input).
 */

import {
  type AppMethod,
  type AppRequestParams,
  type AppResponses,
  type AppState,
  appRequestSchemas,
} from '@switchboard/contract/app';
import type { z } from 'zod';
import type { ClusterBrowser } from '../cluster-browser/cluster-browser.js';
import type { KubeconfigMergeService } from '../kubeconfig/kubeconfig-merge-service.js';
import type { ProxySwitch } from '../local-proxy/proxy-switch.js';
import type { BrowserOpener } from '../sign-in/browser-opener.js';
import type { SignInService } from '../sign-in/sign-in-service.js';
import { AppRequestError } from './app-error.js';
import type { SavedSettings } from './app-settings.js';
import { externalLinkToOpen } from './external-link.js';

/** A handler for every method; `owner` is the window or tab that asked. */
export type AppRequestHandlers = {
  [M in AppMethod]: (params: AppRequestParams<M>, owner: string) => Promise<AppResponses[M]>;
};

/** What the handlers answer with: the core's services and state, and its queue for changes. */
export interface AppRequestServices {
  state: () => AppState;
  /** Runs a mutating request after those before it (two quick toggles must not interleave). */
  exclusively: <T>(operation: () => Promise<T>) => Promise<T>;
  signIn: SignInService;
  proxySwitch: ProxySwitch;
  merge: KubeconfigMergeService;
  settings: SavedSettings;
  browser: ClusterBrowser;
  /** Opens `openExternal` links. */
  openBrowser: BrowserOpener;
}

/** Each method's handler, handing it to the service that answers it. */
export function appRequestHandlers(services: AppRequestServices): AppRequestHandlers {
  const { state, exclusively, signIn, proxySwitch, merge, settings, browser, openBrowser } = services;
  return {
    getState: async () => state(),
    connectRelay: ({ relayUrl }) =>
      exclusively(async () => {
        await signIn.connectRelay(relayUrl);
        return state();
      }),
    signIn: () =>
      exclusively(async () => {
        await signIn.signIn();
        return state();
      }),
    signInWithDeviceCode: () =>
      exclusively(async () => {
        signIn.signInWithDeviceCode();
        return state();
      }),
    // Neither waits for the queue: a sign-in's completion may be queued there, behind nothing this
    // request would wait for, and the person must be able to reopen the page or cancel meanwhile.
    openSignInPage: async () => {
      await signIn.openSignInPage();
      return state();
    },
    cancelSignIn: async () => {
      await signIn.cancelSignIn();
      return state();
    },
    signOut: () =>
      exclusively(async () => {
        await signIn.signOut();
        return state();
      }),
    setProxyEnabled: ({ enabled }) => exclusively(() => proxySwitch.setEnabled(enabled)),
    setProxyPort: ({ port }) => exclusively(() => proxySwitch.setPort(port)),
    mergeKubeconfig: () => exclusively(() => merge.merge()),
    unmergeKubeconfig: () => exclusively(() => merge.unmerge()),
    setSettings: ({ backgroundMode }) =>
      exclusively(async () => {
        await settings.save({ ...settings.current, ...(backgroundMode !== undefined && { backgroundMode }) });
        return state().settings;
      }),
    discoverKinds: (params) => browser.discoverKinds(params),
    watchResources: async (params, owner) => browser.watchResources(params, owner),
    stopWatch: async ({ watchId }) => browser.stopWatch(watchId),
    getResourceYaml: (params) => browser.getResourceYaml(params),
    deleteResource: (params) => browser.deleteResource(params),
    describeResource: (params) => browser.describeResource(params),
    accessReview: (params) => browser.accessReview(params),
    applyResourceYaml: (params) => browser.applyResourceYaml(params),
    scaleResource: (params) => browser.scaleResource(params),
    restartRollout: (params) => browser.restartRollout(params),
    setNodeSchedulable: (params) => browser.setNodeSchedulable(params),
    planDrain: (params) => browser.planDrain(params),
    drainNode: (params) => browser.drainNode(params),
    startLogs: (params, owner) => browser.startLogs(params, owner),
    stopLogs: async ({ logsId }) => browser.stopLogs(logsId),
    startExec: (params, owner) => browser.startExec(params, owner),
    execInput: async (params) => browser.execInput(params),
    execResize: async (params) => browser.execResize(params),
    stopExec: async ({ execId }) => browser.stopExec(execId),
    getPodContainers: (params) => browser.getPodContainers(params),
    startWorkloadLogs: (params, owner) => browser.startWorkloadLogs(params, owner),
    getForwardablePorts: (params) => browser.getForwardablePorts(params),
    startPortForward: (params) => browser.startPortForward(params),
    stopPortForward: async ({ forwardId }) => browser.stopPortForward(forwardId),
    listPortForwards: async () => browser.listPortForwards(),
    openExternal: async ({ url }) => {
      await openBrowser(externalLinkToOpen(url));
      return null;
    },
  };
}

/** The contract's schemas, each typed as the params it yields (the compiler checks they agree). */
const paramsSchemas: { [M in AppMethod]: z.ZodType<AppRequestParams<M>> } = appRequestSchemas;

/** Whether `method` is one of the contract's (a host may pass on anything it was sent). */
export function isAppMethod(method: string): method is AppMethod {
  return Object.hasOwn(appRequestSchemas, method);
}

/** Validates `params` with the method's schema (`invalid-request` when they fail), then runs its handler. */
export function dispatch<M extends AppMethod>(
  handlers: AppRequestHandlers,
  method: M,
  params: unknown,
  owner: string,
): Promise<AppResponses[M]> {
  const parsed = paramsSchemas[method].safeParse(params);
  if (!parsed.success) throw AppRequestError.from(parsed.error);
  return handlers[method](parsed.data, owner);
}
