/**
 * The desktop app's proxy switch and port: the setting (saved with the app's other settings) and the
 * `ProxyController` following it for the signed-in session. Switched on, the proxy starts with each
 * session; a new port restarts it there and moves the merged contexts to it.
 *
 * A port change is checked before anything is touched: a busy port leaves the running proxy and the
 * saved port as they were. Port 0 (any free port) resolves once, at the first start, and the proxy
 * keeps that port for the rest of the core's life (switched off and on, signed out and in), so an
 * `export KUBECONFIG=…` line handed out once keeps pointing at it.
 */
import type { ProxyView } from '@switchboard/contract/app';
import { AppRequestError } from '../app/app-error.js';
import type { KubeconfigMergeService } from '../kubeconfig/kubeconfig-merge-service.js';
import type { Logger } from '../logging/logger.js';
import type { SignedInSession } from '../session/signed-in-session.js';
import { assertPortFree } from './local-proxy.js';
import type { ProxyController } from './proxy-controller.js';

/** Whether the proxy runs while the user is signed in, and the port it listens on. */
export interface ProxySetting {
  enabled: boolean;
  port: number;
}

export interface ProxySwitchOptions {
  controller: ProxyController;
  merge: KubeconfigMergeService;
  /** The signed-in session; undefined when signed out. */
  session: () => SignedInSession | undefined;
  /** The setting as saved now. */
  setting: () => ProxySetting;
  /** Saves a changed setting; resolves once it is stored. */
  saveSetting: (setting: ProxySetting) => Promise<void>;
  logger: Logger;
}

export class ProxySwitch {
  readonly #options: ProxySwitchOptions;
  /** The port the OS picked when the setting is 0, kept from the first start on. */
  #resolvedPort: number | undefined;

  constructor(options: ProxySwitchOptions) {
    this.#options = options;
  }

  /** The controller's status with the switch, the merge, and the setting's port until one listens. */
  get view(): ProxyView {
    const { port, ...status } = this.#options.controller.status;
    const setting = this.#options.setting();
    return {
      ...status,
      enabled: setting.enabled,
      port: port ?? this.port,
      merged: this.#options.merge.merged,
      activeSessions: this.#options.controller.activeSessions,
    };
  }

  /** The port the proxy listens on when it runs: the setting's, or the one port 0 resolved to. */
  get port(): number {
    const { port } = this.#options.setting();
    return port === 0 ? (this.#resolvedPort ?? 0) : port;
  }

  /** A session began: switched on, the proxy starts for it (a failure shows in its status). */
  follow(session: SignedInSession): void {
    if (!this.#options.setting().enabled) return;
    this.#start(session).catch((error: unknown) =>
      this.#options.logger.warn({ err: (error as Error).message }, 'the local proxy did not start'),
    );
  }

  async setEnabled(enabled: boolean): Promise<ProxyView> {
    await this.#save({ enabled });
    const session = this.#options.session();
    if (!enabled) await this.#options.controller.stop();
    else if (!session) {
      throw new AppRequestError(
        'sign-in-required',
        'sign in first: the proxy uses your sign-in to reach the relay',
      );
    } else await this.#start(session);
    return this.view;
  }

  /**
   * Moves the proxy to `port`: checked first (a busy port throws `PortInUseError`, with the running
   * proxy and the saved port untouched), then restarted there, then saved.
   */
  async setPort(port: number): Promise<ProxyView> {
    const { controller, merge } = this.#options;
    const listening = controller.running?.port;
    if (port !== listening) await assertPortFree(port);
    const session = this.#options.session();
    // Also after a failed start (the old port was taken): the switch is on, so try the new port.
    if (this.#options.setting().enabled && session && port !== listening) {
      await controller.stop();
      try {
        await this.#start(session, port);
      } catch (error) {
        // Taken in the moment between the check and the start: back to where it was.
        if (listening !== undefined) await this.#start(session, listening).catch(() => {});
        throw error;
      }
    }
    await this.#save({ port });
    // The merged contexts point at the port.
    if (merge.merged && session) await merge.merge();
    return this.view;
  }

  #save(change: Partial<ProxySetting>): Promise<void> {
    return this.#options.saveSetting({ ...this.#options.setting(), ...change });
  }

  async #start(session: SignedInSession, port: number = this.port): Promise<void> {
    const { relayUrl, bearerToken, tunnel } = session;
    const { controller } = this.#options;
    await controller.start({ relayUrl, bearerToken, tunnel }, port);
    if (port === 0 && controller.running) this.#resolvedPort = controller.running.port;
  }
}
