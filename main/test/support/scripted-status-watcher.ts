/**
 * A status watcher the test sets the cluster list of (the stand-in relay serves no status stream):
 * `list(names)` replaces the list and reports the change, as the relay's stream does after a grant.
 */
import { EventEmitter } from 'node:events';
import type { ClusterView } from '@switchboard/contract/app';
import type { StatusWatcher } from '../../src/core/session/signed-in-session.js';

export class ScriptedStatusWatcher extends EventEmitter<{ change: [] }> implements StatusWatcher {
  clusters: ClusterView[] = [];
  state: 'idle' | 'live' | 'reconnecting' = 'idle';
  signInRequired = false;

  start(): void {
    this.state = 'live';
    this.emit('change');
  }

  close(): void {
    this.state = 'idle';
  }

  /** The clusters the relay lists now, each offline. */
  list(names: readonly string[]): void {
    this.clusters = names.map((name) => ({
      name,
      description: '',
      labels: {},
      createdAt: new Date(0).toISOString(),
      createdBy: 'admin',
      status: 'offline',
      lastSeenAt: null,
      sessions: 0,
      metadata: null,
      recommendedAgentVersion: '0.1.0',
      upgradeAvailable: false,
    }));
    this.emit('change');
  }
}
