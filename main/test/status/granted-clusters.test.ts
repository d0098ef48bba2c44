/**
 * Which clusters are granted, as a live list reports them: a cluster added or removed is a change,
 * the same clusters in another order or with another status are not.
 */
import { describe, expect, it } from 'vitest';
import { onGrantedClustersChange } from '../../src/core/status/granted-clusters.js';
import { ScriptedStatusWatcher } from '../support/scripted-status-watcher.js';

describe('onGrantedClustersChange', () => {
  it('calls back when a cluster is granted or revoked, not when a status or the order changes', () => {
    const watcher = new ScriptedStatusWatcher();
    watcher.list(['alpha', 'beta']);
    let changes = 0;
    onGrantedClustersChange(watcher, () => changes++);

    watcher.list(['beta', 'alpha']);
    watcher.clusters[0]!.status = 'connected';
    watcher.emit('change');
    expect(changes).toBe(0);

    watcher.list(['alpha', 'beta', 'gamma']);
    expect(changes).toBe(1);
    watcher.list(['gamma']);
    expect(changes).toBe(2);
    watcher.list(['gamma']);
    expect(changes).toBe(2);
  });
});
