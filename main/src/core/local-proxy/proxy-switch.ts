/**
 * The desktop app's proxy switch and port: the setting (saved with the app's other settings) and the
 * `ProxyController` following it for the signed-in session. Switched on, the proxy starts with each
 * session; a new port restarts it there and moves the merged contexts to it.
 */
import type { ProxyView } from '@switchboard/contract/app';
import { AppRequestError } from '../app/app-error.js';
import type { KubeconfigMergeService } from '../kubeconfig/kubeconfig-merge-service.js';
import type { Logger } from '../logging/logger.js';
import type { SignedInSession } from '../session/signed-in-session.js';
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
      port: port ?? setting.port,
      merged: this.#options.merge.merged,
      activeSessions: this.#options.controller.activeSessions,
    };
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

  async setPort(port: number): Promise<ProxyView> {
    await this.#save({ port });
    const session = this.#options.session();
    // Also after a failed start (the old port was taken): the switch is on, so try the new port.
    if (this.#options.setting().enabled && session) {
      await this.#options.controller.stop();
      await this.#start(session);
    }
    // The merged contexts point at the port.
    if (this.#options.merge.merged && session) await this.#options.merge.merge();
    return this.view;
  }

  #save(change: Partial<ProxySetting>): Promise<void> {
    return this.#options.saveSetting({ ...this.#options.setting(), ...change });
  }

  #start(session: SignedInSession): Promise<void> {
    const { relayUrl, bearerToken, tunnel } = session;
    return this.#options.controller.start({ relayUrl, bearerToken, tunnel }, this.#options.setting().port);
  }
}
