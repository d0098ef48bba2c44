/**
 * Reads the cluster facts a heartbeat carries, with the agent's own credential (its ClusterRole
 * grants get/list/watch on nodes): `/version` and the node list. One read serves every session
 * for `maxAgeMs` (the heartbeat interval), so N sessions do not list nodes N times; concurrent
 * callers share the read in flight. A failed read leaves its fields out and is tried again next
 * time; it never throws.
 */
import { z } from 'zod';
import type { ApiServer } from '../kube/apiserver.js';
import type { Logger } from '../logger.js';
import {
  detectDistribution,
  detectInfrastructure,
  type NodeFacts,
  summarizeNodes,
} from './cluster-metadata.js';

export interface ClusterFacts {
  kubernetesVersion?: string;
  nodeCount?: number;
  vcpuTotal?: number;
  distribution?: string;
  infrastructure?: string;
}

const versionSchema = z.object({ gitVersion: z.string().min(1).max(64) });

const nodeListSchema = z.object({
  metadata: z.object({ continue: z.string().optional() }).optional(),
  items: z.array(
    z.object({
      metadata: z
        .object({
          labels: z.record(z.string(), z.string()).nullish(),
          annotations: z.record(z.string(), z.string()).nullish(),
        })
        .optional(),
      spec: z.object({ providerID: z.string().optional() }).optional(),
      status: z.object({ capacity: z.record(z.string(), z.string()).nullish() }).optional(),
    }),
  ),
});

/** Pages of this many nodes bound what one response holds in memory on big clusters. */
const NODE_PAGE_SIZE = 500;

export class ClusterReader {
  #cached: { facts: ClusterFacts; at: number } | undefined;
  #reading: Promise<ClusterFacts> | undefined;

  constructor(
    private readonly apiServer: ApiServer,
    private readonly maxAgeMs: number,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** The facts, read at most once per `maxAgeMs`. */
  read(): Promise<ClusterFacts> {
    if (this.#cached && this.now() - this.#cached.at < this.maxAgeMs) {
      return Promise.resolve(this.#cached.facts);
    }
    this.#reading ??= this.#readNow().finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
  }

  async #readNow(): Promise<ClusterFacts> {
    const [gitVersion, nodes] = await Promise.all([
      this.#attempt('the Kubernetes version', () => this.#readVersion()),
      this.#attempt('the nodes', () => this.#readNodes()),
    ]);
    const facts: ClusterFacts = {
      ...(gitVersion !== undefined && { kubernetesVersion: gitVersion }),
      ...(nodes !== undefined && summarizeNodes(nodes)),
    };
    // Version suffixes alone identify k3s and RKE2, so detection runs even without nodes.
    const distribution = detectDistribution(gitVersion, nodes ?? []);
    const infrastructure = nodes && detectInfrastructure(nodes);
    if (distribution !== undefined) facts.distribution = distribution;
    if (infrastructure !== undefined) facts.infrastructure = infrastructure;
    // Only complete answers are cached: a failed part is retried at the next heartbeat.
    if (gitVersion !== undefined && nodes !== undefined) this.#cached = { facts, at: this.now() };
    return facts;
  }

  async #attempt<T>(what: string, read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      this.logger.debug({ err: (error as Error).message }, `cannot read ${what} for the heartbeat`);
      return undefined;
    }
  }

  async #readVersion(): Promise<string> {
    const { status, body } = await this.apiServer.json('GET', '/version');
    if (status !== 200) throw new Error(`GET /version answered HTTP ${status}`);
    return versionSchema.parse(body).gitVersion;
  }

  async #readNodes(): Promise<NodeFacts[]> {
    const nodes: NodeFacts[] = [];
    let continueToken: string | undefined;
    do {
      const query = new URLSearchParams({ limit: String(NODE_PAGE_SIZE) });
      if (continueToken) query.set('continue', continueToken);
      const { status, body } = await this.apiServer.json('GET', `/api/v1/nodes?${query}`);
      if (status !== 200) throw new Error(`listing nodes answered HTTP ${status}`);
      const page = nodeListSchema.parse(body);
      for (const item of page.items) {
        const cpu = item.status?.capacity?.cpu;
        const providerID = item.spec?.providerID;
        nodes.push({
          labels: item.metadata?.labels ?? {},
          annotations: item.metadata?.annotations ?? {},
          ...(providerID !== undefined && { providerID }),
          ...(cpu !== undefined && { cpuCapacity: cpu }),
        });
      }
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);
    return nodes;
  }
}
