/**
 * The registry's operations as Kysely queries, written once for both stores: the SQLite and
 * Postgres registries add how they open, how a transaction is isolated and how text is ordered.
 */
import {
  type Cluster,
  type ClusterMetadata,
  type Grant,
  type Role,
  SUBJECT_KINDS,
  type SubjectKind,
} from '@switchboard/contract/relay-api';
import type { Expression, ExpressionBuilder, Kysely, Selectable, Transaction } from 'kysely';
import {
  type AgentCredential,
  ClusterExistsError,
  type ClusterPresence,
  type ClusterRegistry,
  type DevIdpRecord,
  grantSubjectsOf,
  type NewAgentCredential,
  type NewCluster,
  type NewDevIdpRecord,
  type NewGrant,
  type NewJoinToken,
  type RedeemResult,
  type RotateResult,
  type Subject,
  type TicketKey,
  UnknownClusterError,
} from './registry.js';
import type {
  AgentCredentialsTable,
  ClustersTable,
  GrantsTable,
  RegistryDatabase,
} from './registry-tables.js';

const ROLE_RANK: Record<Role, number> = { connect: 1, admin: 2 };

export abstract class KyselyClusterRegistry implements ClusterRegistry {
  constructor(protected readonly db: Kysely<RegistryDatabase>) {}

  /**
   * Runs `work` as one transaction that behaves as if no other writer ran meanwhile, whichever
   * process that writer is in; the read-then-write operations below rely on it.
   */
  protected abstract transaction<T>(work: (trx: Transaction<RegistryDatabase>) => Promise<T>): Promise<T>;

  /**
   * A text column in code point order (SQLite's BINARY collation), so that both stores list alike
   * whatever the database's collation.
   */
  protected abstract inCodePointOrder(column: string): Expression<string>;

  async createCluster(cluster: NewCluster): Promise<Cluster> {
    const row = {
      name: cluster.name,
      description: cluster.description,
      labels: JSON.stringify(cluster.labels),
      created_at: new Date().toISOString(),
      created_by: cluster.createdBy,
    };
    const result = await this.db
      .insertInto('clusters')
      .values(row)
      .onConflict((conflict) => conflict.column('name').doNothing())
      .executeTakeFirst();
    if (result.numInsertedOrUpdatedRows === 0n) throw new ClusterExistsError(cluster.name);
    return toCluster(row);
  }

  async getCluster(name: string): Promise<Cluster | undefined> {
    const row = await this.db.selectFrom('clusters').selectAll().where('name', '=', name).executeTakeFirst();
    return row && toCluster(row);
  }

  async listClusters(): Promise<Cluster[]> {
    const rows = await this.db
      .selectFrom('clusters')
      .selectAll()
      .orderBy(this.inCodePointOrder('name'))
      .execute();
    return rows.map(toCluster);
  }

  async deleteCluster(name: string): Promise<boolean> {
    return this.transaction(async (trx) => {
      // Grants and join tokens cascade; credentials stay, revoked, so their agents learn why.
      const result = await trx.deleteFrom('clusters').where('name', '=', name).executeTakeFirst();
      if (result.numDeletedRows === 0n) return false;
      await trx
        .updateTable('agent_credentials')
        .set({ revoked_at: new Date().toISOString() })
        .where('cluster', '=', name)
        .where('revoked_at', 'is', null)
        .execute();
      return true;
    });
  }

  async createJoinToken(token: NewJoinToken): Promise<void> {
    await this.transaction(async (trx) => {
      const cluster = await trx
        .selectFrom('clusters')
        .select('name')
        .where('name', '=', token.cluster)
        .executeTakeFirst();
      if (!cluster) throw new UnknownClusterError(token.cluster);
      await trx
        .insertInto('join_tokens')
        .values({
          token_hash: token.tokenHash,
          cluster: token.cluster,
          created_at: new Date().toISOString(),
          created_by: token.createdBy,
          expires_at: token.expiresAt.toISOString(),
          used_at: null,
        })
        .execute();
    });
  }

  async redeemJoinToken(tokenHash: string, credential: NewAgentCredential, now: Date): Promise<RedeemResult> {
    const at = now.toISOString();
    return this.transaction(async (trx): Promise<RedeemResult> => {
      // One conditional UPDATE: of concurrent redeemers only one sees the row change.
      const consumed = await trx
        .updateTable('join_tokens')
        .set({ used_at: at })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', at)
        .returning('cluster')
        .executeTakeFirst();
      if (!consumed) {
        const row = await trx
          .selectFrom('join_tokens')
          .select(['cluster', 'used_at'])
          .where('token_hash', '=', tokenHash)
          .executeTakeFirst();
        if (!row) return { ok: false, failure: 'unknown' };
        return { ok: false, failure: row.used_at !== null ? 'used' : 'expired', cluster: row.cluster };
      }
      const row: AgentCredentialsTable = {
        id: credential.id,
        cluster: consumed.cluster,
        public_key: credential.publicKey,
        thumbprint: credential.thumbprint,
        agent_version: credential.agentVersion,
        issued_at: at,
        expires_at: credential.expiresAt.toISOString(),
        revoked_at: null,
        superseded_at: null,
        superseded_by: null,
      };
      await trx.insertInto('agent_credentials').values(row).execute();
      return { ok: true, credential: toCredential(row) };
    });
  }

  async rotateAgentCredential(currentId: string, next: NewAgentCredential, now: Date): Promise<RotateResult> {
    const at = now.toISOString();
    return this.transaction(async (trx): Promise<RotateResult> => {
      const current = await trx
        .selectFrom('agent_credentials')
        .selectAll()
        .where('id', '=', currentId)
        .executeTakeFirst();
      if (!current) return { ok: false, failure: 'unknown' };
      if (current.revoked_at !== null) return { ok: false, failure: 'revoked' };
      if (current.superseded_by !== null) {
        const successor = await trx
          .selectFrom('agent_credentials')
          .selectAll()
          .where('id', '=', current.superseded_by)
          .executeTakeFirst();
        if (successor?.thumbprint !== next.thumbprint) return { ok: false, failure: 'superseded' };
        // A replay must not hand out a successor that was revoked since.
        if (successor.revoked_at !== null) return { ok: false, failure: 'revoked' };
        return { ok: true, credential: toCredential(successor), replayed: true };
      }
      const row: AgentCredentialsTable = {
        id: next.id,
        cluster: current.cluster,
        public_key: next.publicKey,
        thumbprint: next.thumbprint,
        agent_version: next.agentVersion,
        issued_at: at,
        expires_at: next.expiresAt.toISOString(),
        revoked_at: null,
        superseded_at: null,
        superseded_by: null,
      };
      await trx.insertInto('agent_credentials').values(row).execute();
      // Conditional, so of two concurrent rotations of one credential only one wins.
      const superseded = await trx
        .updateTable('agent_credentials')
        .set({ superseded_at: at, superseded_by: next.id })
        .where('id', '=', currentId)
        .where('superseded_by', 'is', null)
        .executeTakeFirst();
      if (superseded.numUpdatedRows === 0n)
        throw new Error(`credential ${currentId} was rotated concurrently`);
      return { ok: true, credential: toCredential(row), replayed: false };
    });
  }

  async getAgentCredential(id: string): Promise<AgentCredential | undefined> {
    const row = await this.db
      .selectFrom('agent_credentials')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toCredential(row);
  }

  async revokeAgentAccess(cluster: string, now: Date): Promise<void> {
    const at = now.toISOString();
    await this.transaction(async (trx) => {
      await trx
        .updateTable('agent_credentials')
        .set({ revoked_at: at })
        .where('cluster', '=', cluster)
        .where('revoked_at', 'is', null)
        .execute();
      // Expired rather than deleted: a late redeem is then logged as expired, not as unknown.
      await trx
        .updateTable('join_tokens')
        .set({ expires_at: at })
        .where('cluster', '=', cluster)
        .where('used_at', 'is', null)
        .where('expires_at', '>', at)
        .execute();
    });
  }

  async recordPresence(cluster: string, seenAt: Date, metadata?: ClusterMetadata): Promise<void> {
    const lastSeenAt = seenAt.toISOString();
    const metadataJson = metadata === undefined ? null : JSON.stringify(metadata);
    // INSERT … SELECT: a cluster deleted meanwhile gets no row (and no foreign-key error). In a
    // transaction because on Postgres another replica's delete can commit between the SELECT and
    // the foreign-key check: the conflict is then retried, and the retry finds no cluster.
    await this.transaction(async (trx) => {
      await trx
        .insertInto('cluster_presence')
        .columns(['cluster', 'last_seen_at', 'metadata'])
        .expression((eb) =>
          eb
            .selectFrom('clusters')
            .select((inner) => [
              'name',
              inner.val(lastSeenAt).as('last_seen_at'),
              inner.val(metadataJson).as('metadata'),
            ])
            .where('name', '=', cluster),
        )
        .onConflict((conflict) =>
          conflict.column('cluster').doUpdateSet((eb) => ({
            last_seen_at: lastSeenAt,
            metadata: metadataJson === null ? eb.ref('cluster_presence.metadata') : metadataJson,
          })),
        )
        .execute();
    });
  }

  async getPresence(cluster: string): Promise<ClusterPresence | undefined> {
    const row = await this.presenceQuery().where('clusters.name', '=', cluster).executeTakeFirst();
    return row && toPresence(row);
  }

  async listPresence(): Promise<ClusterPresence[]> {
    const rows = await this.presenceQuery().orderBy(this.inCodePointOrder('clusters.name')).execute();
    return rows.map(toPresence);
  }

  private presenceQuery() {
    return this.db
      .selectFrom('clusters')
      .leftJoin('cluster_presence', 'cluster_presence.cluster', 'clusters.name')
      .selectAll('clusters')
      .select((eb) => [
        'cluster_presence.last_seen_at',
        'cluster_presence.metadata',
        eb
          .selectFrom('agent_credentials')
          .select('agent_credentials.expires_at')
          .whereRef('agent_credentials.cluster', '=', 'clusters.name')
          .where('agent_credentials.revoked_at', 'is', null)
          .orderBy('agent_credentials.issued_at', 'desc')
          .orderBy('agent_credentials.expires_at', 'desc')
          .limit(1)
          .as('credential_expires_at'),
      ]);
  }

  async getSetting(key: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('relay_settings')
      .select('value')
      .where('key', '=', key)
      .executeTakeFirst();
    return row?.value;
  }

  async setSetting(key: string, value: string): Promise<void> {
    await this.db
      .insertInto('relay_settings')
      .values({ key, value })
      .onConflict((conflict) => conflict.column('key').doUpdateSet({ value }))
      .execute();
  }

  async grant(grant: NewGrant): Promise<Grant> {
    const row: GrantsTable = {
      cluster: grant.cluster,
      subject_kind: grant.subjectKind,
      subject: grant.subject,
      role: grant.role,
      created_at: new Date().toISOString(),
      created_by: grant.createdBy,
    };
    return this.transaction(async (trx) => {
      const cluster = await trx
        .selectFrom('clusters')
        .select('name')
        .where('name', '=', grant.cluster)
        .executeTakeFirst();
      if (!cluster) throw new UnknownClusterError(grant.cluster);
      await trx
        .insertInto('grants')
        .values(row)
        .onConflict((conflict) =>
          conflict
            .columns(['cluster', 'subject_kind', 'subject'])
            .doUpdateSet({ role: row.role, created_at: row.created_at, created_by: row.created_by }),
        )
        .execute();
      return toGrant(row);
    });
  }

  async revoke(cluster: string, subjectKind: SubjectKind, subject: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('grants')
      .where('cluster', '=', cluster)
      .where('subject_kind', '=', subjectKind)
      .where('subject', '=', subject)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async listGrants(cluster: string): Promise<Grant[]> {
    const rows = await this.db
      .selectFrom('grants')
      .selectAll()
      .where('cluster', '=', cluster)
      .orderBy('subject_kind', 'desc')
      .orderBy(this.inCodePointOrder('subject'))
      .execute();
    return rows.map(toGrant);
  }

  async clustersFor(subject: Subject): Promise<Cluster[]> {
    const rows = await this.db
      .selectFrom('clusters')
      .selectAll()
      .where('name', 'in', (query) =>
        query.selectFrom('grants').select('grants.cluster').where(grantedTo(subject)),
      )
      .orderBy(this.inCodePointOrder('name'))
      .execute();
    return rows.map(toCluster);
  }

  async roleOf(subject: Subject, cluster: string): Promise<Role | undefined> {
    const rows = await this.db
      .selectFrom('grants')
      .select('role')
      .where('cluster', '=', cluster)
      .where(grantedTo(subject))
      .execute();
    return rows.map((row) => row.role).sort((a, b) => ROLE_RANK[b] - ROLE_RANK[a])[0];
  }

  async listTicketKeys(): Promise<TicketKey[]> {
    const rows = await this.db.selectFrom('ticket_keys').selectAll().orderBy('generation').execute();
    return rows.map((row) => ({
      generation: row.generation,
      kid: row.kid,
      sealedPrivateKey: row.sealed_private_key,
      createdAt: new Date(row.created_at),
      activatesAt: new Date(row.activates_at),
      retiresAt: new Date(row.retires_at),
      announcedUntil: new Date(row.announced_until),
      heldUntil: new Date(row.held_until),
    }));
  }

  async addTicketKey(key: TicketKey): Promise<boolean> {
    const result = await this.db
      .insertInto('ticket_keys')
      .values({
        generation: key.generation,
        kid: key.kid,
        sealed_private_key: key.sealedPrivateKey,
        created_at: key.createdAt.toISOString(),
        activates_at: key.activatesAt.toISOString(),
        retires_at: key.retiresAt.toISOString(),
        announced_until: key.announcedUntil.toISOString(),
        held_until: key.heldUntil.toISOString(),
      })
      .onConflict((conflict) => conflict.column('generation').doNothing())
      .executeTakeFirst();
    return result.numInsertedOrUpdatedRows !== 0n;
  }

  async deleteTicketKeysHeldUntil(now: Date): Promise<void> {
    await this.db.deleteFrom('ticket_keys').where('held_until', '<=', now.toISOString()).execute();
  }

  async putDevIdpRecord(record: NewDevIdpRecord): Promise<void> {
    const now = new Date().toISOString();
    const row = {
      model: record.model,
      id: record.id,
      grant_id: record.grantId ?? null,
      payload: record.payload,
      expires_at: record.expiresAt?.toISOString() ?? null,
      consumed_at: null,
    };
    await this.transaction(async (tx) => {
      await tx.deleteFrom('dev_idp_records').where('expires_at', '<=', now).execute();
      await tx
        .insertInto('dev_idp_records')
        .values(row)
        .onConflict((conflict) =>
          conflict.columns(['model', 'id']).doUpdateSet({
            grant_id: row.grant_id,
            payload: row.payload,
            expires_at: row.expires_at,
            consumed_at: null,
          }),
        )
        .execute();
    });
  }

  async getDevIdpRecord(model: string, id: string, now: Date): Promise<DevIdpRecord | undefined> {
    const row = await this.db
      .selectFrom('dev_idp_records')
      .selectAll()
      .where('model', '=', model)
      .where('id', '=', id)
      .where((where) =>
        where.or([where('expires_at', 'is', null), where('expires_at', '>', now.toISOString())]),
      )
      .executeTakeFirst();
    return (
      row && {
        model: row.model,
        id: row.id,
        grantId: row.grant_id ?? undefined,
        payload: row.payload,
        expiresAt: row.expires_at === null ? undefined : new Date(row.expires_at),
        consumedAt: row.consumed_at === null ? undefined : new Date(row.consumed_at),
      }
    );
  }

  async consumeDevIdpRecord(model: string, id: string, at: Date): Promise<void> {
    await this.db
      .updateTable('dev_idp_records')
      .set({ consumed_at: at.toISOString() })
      .where('model', '=', model)
      .where('id', '=', id)
      .execute();
  }

  async deleteDevIdpRecord(model: string, id: string): Promise<void> {
    await this.db.deleteFrom('dev_idp_records').where('model', '=', model).where('id', '=', id).execute();
  }

  async deleteDevIdpRecordsOfGrant(model: string, grantId: string): Promise<void> {
    await this.db
      .deleteFrom('dev_idp_records')
      .where('model', '=', model)
      .where('grant_id', '=', grantId)
      .execute();
  }

  async ping(): Promise<void> {
    await this.db.selectFrom('clusters').select('name').limit(1).execute();
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

/** The grants naming the subject's user or one of its groups (`grantSubjectsOf`). */
function grantedTo(subject: Subject) {
  const names = grantSubjectsOf(subject);
  return (eb: ExpressionBuilder<RegistryDatabase, 'grants'>) =>
    eb.or(
      SUBJECT_KINDS.filter((kind) => names[kind].length > 0).map((kind) =>
        eb.and([eb('subject_kind', '=', kind), eb('subject', 'in', [...names[kind]])]),
      ),
    );
}

function toCluster(row: Selectable<ClustersTable>): Cluster {
  return {
    name: row.name,
    description: row.description,
    labels: JSON.parse(row.labels) as Record<string, string>,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

function toPresence(
  row: Selectable<ClustersTable> & {
    last_seen_at: string | null;
    metadata: string | null;
    credential_expires_at: string | null;
  },
): ClusterPresence {
  const presence: ClusterPresence = { cluster: toCluster(row) };
  if (row.last_seen_at !== null) presence.lastSeenAt = new Date(row.last_seen_at);
  if (row.metadata !== null) presence.metadata = JSON.parse(row.metadata) as ClusterMetadata;
  if (row.credential_expires_at !== null) presence.credentialExpiresAt = new Date(row.credential_expires_at);
  return presence;
}

function toCredential(row: Selectable<AgentCredentialsTable>): AgentCredential {
  const credential: AgentCredential = {
    id: row.id,
    cluster: row.cluster,
    publicKey: row.public_key,
    thumbprint: row.thumbprint,
    agentVersion: row.agent_version,
    issuedAt: new Date(row.issued_at),
    expiresAt: new Date(row.expires_at),
  };
  if (row.revoked_at !== null) credential.revokedAt = new Date(row.revoked_at);
  if (row.superseded_at !== null) credential.supersededAt = new Date(row.superseded_at);
  if (row.superseded_by !== null) credential.supersededBy = row.superseded_by;
  return credential;
}

function toGrant(row: GrantsTable): Grant {
  return {
    cluster: row.cluster,
    subjectKind: row.subject_kind,
    subject: row.subject,
    role: row.role,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}
