/**
 * Where oidc-provider keeps its records. Refresh tokens and the grants behind them go to the
 * relay's registry, so the desktop app and CLI renew their tokens after a relay restart instead of
 * signing in again (the restarted provider signs with a new key: the relay refuses the old access
 * token once, the client renews). Everything else lives in memory and is lost at a restart: browser
 * sessions and sign-ins in progress, whose cookies are signed with per-start keys anyway.
 *
 * A refresh token's id is the token itself, a bearer secret: the registry holds only its SHA-256
 * and the payload without it, so the database never contains a usable token.
 */
import { createHash } from 'node:crypto';
import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import type { ClusterRegistry } from '../registry/registry.js';

export type DevIdpRecords = Pick<
  ClusterRegistry,
  | 'putDevIdpRecord'
  | 'getDevIdpRecord'
  | 'consumeDevIdpRecord'
  | 'deleteDevIdpRecord'
  | 'deleteDevIdpRecordsOfGrant'
>;

/** Models kept across restarts, and whether their id is a secret (stored hashed). */
const DURABLE_MODELS = new Map([
  ['RefreshToken', { secretId: true }],
  ['Grant', { secretId: false }],
]);

/** Per model, at most this many records in memory (the oldest go first), as oidc-provider's own LRU does. */
const MAX_MEMORY_RECORDS = 10_000;

/** Records of durable models in `records` (the relay's registry), all others in memory. */
export function devIdpStorage(records: DevIdpRecords | undefined): AdapterFactory {
  const adapters = new Map<string, Adapter>();
  return (model) => {
    let adapter = adapters.get(model);
    if (!adapter) {
      const durable = DURABLE_MODELS.get(model);
      adapter =
        records && durable ? new RegistryAdapter(model, records, durable.secretId) : new MemoryAdapter();
      adapters.set(model, adapter);
    }
    return adapter;
  };
}

const epochSeconds = () => Math.floor(Date.now() / 1000);

class RegistryAdapter implements Adapter {
  constructor(
    private readonly model: string,
    private readonly records: DevIdpRecords,
    private readonly secretId: boolean,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const { consumed: _consumed, ...kept } = payload;
    if (this.secretId) delete kept.jti;
    await this.records.putDevIdpRecord({
      model: this.model,
      id: this.#key(id),
      grantId: payload.grantId,
      payload: JSON.stringify(kept),
      expiresAt: expiresIn === undefined ? undefined : new Date(Date.now() + expiresIn * 1000),
    });
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const record = await this.records.getDevIdpRecord(this.model, this.#key(id), new Date());
    if (!record) return undefined;
    const payload = JSON.parse(record.payload) as AdapterPayload;
    if (this.secretId) payload.jti = id;
    if (record.consumedAt) payload.consumed = Math.floor(record.consumedAt.getTime() / 1000);
    return payload;
  }

  async findByUid(): Promise<undefined> {
    throw new Error(`${this.model} records are not looked up by uid`);
  }

  async findByUserCode(): Promise<undefined> {
    throw new Error(`${this.model} records are not looked up by user code`);
  }

  async consume(id: string): Promise<void> {
    await this.records.consumeDevIdpRecord(this.model, this.#key(id), new Date());
  }

  async destroy(id: string): Promise<void> {
    await this.records.deleteDevIdpRecord(this.model, this.#key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.records.deleteDevIdpRecordsOfGrant(this.model, grantId);
  }

  #key(id: string): string {
    return this.secretId ? createHash('sha256').update(id).digest('base64url') : id;
  }
}

interface MemoryRecord {
  payload: AdapterPayload;
  /** Epoch milliseconds; Infinity when the provider gave no lifetime. */
  expiresAt: number;
}

class MemoryAdapter implements Adapter {
  readonly #records = new Map<string, MemoryRecord>();

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    this.#records.delete(id); // re-inserted last: the map's order is the eviction order
    this.#records.set(id, {
      payload,
      expiresAt: expiresIn === undefined ? Number.POSITIVE_INFINITY : Date.now() + expiresIn * 1000,
    });
    if (this.#records.size > MAX_MEMORY_RECORDS) this.#evict();
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const record = this.#records.get(id);
    if (!record) return undefined;
    if (record.expiresAt <= Date.now()) {
      this.#records.delete(id);
      return undefined;
    }
    return record.payload;
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.#findWhere((payload) => payload.uid === uid);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.#findWhere((payload) => payload.userCode === userCode);
  }

  async consume(id: string): Promise<void> {
    const record = this.#records.get(id);
    if (record) record.payload.consumed = epochSeconds();
  }

  async destroy(id: string): Promise<void> {
    this.#records.delete(id);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const [id, record] of this.#records)
      if (record.payload.grantId === grantId) this.#records.delete(id);
  }

  #findWhere(matches: (payload: AdapterPayload) => boolean): AdapterPayload | undefined {
    const now = Date.now();
    for (const record of this.#records.values()) {
      if (record.expiresAt > now && matches(record.payload)) return record.payload;
    }
    return undefined;
  }

  /** Drops the expired records, then the oldest ones while there are too many. */
  #evict(): void {
    const now = Date.now();
    for (const [id, record] of this.#records) if (record.expiresAt <= now) this.#records.delete(id);
    for (const id of this.#records.keys()) {
      if (this.#records.size <= MAX_MEMORY_RECORDS) break;
      this.#records.delete(id);
    }
  }
}
