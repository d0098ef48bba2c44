/**
 * The registry's schema, as migrations kept in code (no files to ship or find at run time).
 * Written in Kysely's schema builder so the same steps run on SQLite and Postgres.
 */
import { type Kysely, type Migration, type MigrationProvider, sql } from 'kysely';

const migrations: Record<string, Migration> = {
  '0001_clusters_and_grants': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('clusters')
        .addColumn('name', 'text', (column) => column.primaryKey())
        .addColumn('description', 'text', (column) => column.notNull().defaultTo(''))
        .addColumn('labels', 'text', (column) => column.notNull().defaultTo('{}'))
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('created_by', 'text', (column) => column.notNull())
        .execute();
      await db.schema
        .createTable('grants')
        .addColumn('cluster', 'text', (column) =>
          column.notNull().references('clusters.name').onDelete('cascade'),
        )
        .addColumn('subject_kind', 'text', (column) =>
          column.notNull().check(sql`subject_kind in ('user', 'group')`),
        )
        .addColumn('subject', 'text', (column) => column.notNull())
        .addColumn('role', 'text', (column) => column.notNull().check(sql`role in ('connect', 'admin')`))
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('created_by', 'text', (column) => column.notNull())
        .addUniqueConstraint('grants_cluster_subject', ['cluster', 'subject_kind', 'subject'])
        .execute();
      // Serves "which clusters may this user or these groups reach" without a scan.
      await db.schema
        .createIndex('grants_by_subject')
        .on('grants')
        .columns(['subject_kind', 'subject'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('grants').execute();
      await db.schema.dropTable('clusters').execute();
    },
  },
  '0002_agent_join': {
    async up(db: Kysely<unknown>) {
      // Only the SHA-256 of a join token is stored; the token itself is shown once and forgotten.
      await db.schema
        .createTable('join_tokens')
        .addColumn('token_hash', 'text', (column) => column.primaryKey())
        .addColumn('cluster', 'text', (column) =>
          column.notNull().references('clusters.name').onDelete('cascade'),
        )
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('created_by', 'text', (column) => column.notNull())
        .addColumn('expires_at', 'text', (column) => column.notNull())
        .addColumn('used_at', 'text')
        .execute();
      await db.schema.createIndex('join_tokens_by_cluster').on('join_tokens').column('cluster').execute();
      // No foreign key: deleting a cluster revokes its credentials but keeps them, so an agent of a
      // deleted cluster is told "revoked" and a re-created cluster of the same name never trusts them.
      await db.schema
        .createTable('agent_credentials')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('cluster', 'text', (column) => column.notNull())
        .addColumn('public_key', 'text', (column) => column.notNull())
        .addColumn('thumbprint', 'text', (column) => column.notNull())
        .addColumn('agent_version', 'text', (column) => column.notNull().defaultTo(''))
        .addColumn('issued_at', 'text', (column) => column.notNull())
        .addColumn('expires_at', 'text', (column) => column.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema
        .createIndex('agent_credentials_by_cluster')
        .on('agent_credentials')
        .column('cluster')
        .execute();
      await db.schema
        .createTable('relay_settings')
        .addColumn('key', 'text', (column) => column.primaryKey())
        .addColumn('value', 'text', (column) => column.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('relay_settings').execute();
      await db.schema.dropTable('agent_credentials').execute();
      await db.schema.dropTable('join_tokens').execute();
    },
  },
  '0003_cluster_presence': {
    async up(db: Kysely<unknown>) {
      // What the relay last knew of each cluster's agent, so a restart keeps "last seen" and the
      // heartbeat's metadata. Live sessions themselves are soft state and never stored.
      await db.schema
        .createTable('cluster_presence')
        .addColumn('cluster', 'text', (column) =>
          column.primaryKey().references('clusters.name').onDelete('cascade'),
        )
        .addColumn('last_seen_at', 'text', (column) => column.notNull())
        /** The last heartbeat (`clusterMetadataSchema`, JSON); null until the first one. */
        .addColumn('metadata', 'text')
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('cluster_presence').execute();
    },
  },
  '0004_credential_rotation': {
    async up(db: Kysely<unknown>) {
      // A rotated credential is superseded, not revoked: its live sessions stay up, new connections
      // must use the successor, and the successor's id lets a replayed rotation get the same answer.
      await db.schema.alterTable('agent_credentials').addColumn('superseded_at', 'text').execute();
      await db.schema.alterTable('agent_credentials').addColumn('superseded_by', 'text').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('agent_credentials').dropColumn('superseded_by').execute();
      await db.schema.alterTable('agent_credentials').dropColumn('superseded_at').execute();
    },
  },
  '0005_dev_idp_records': {
    async up(db: Kysely<unknown>) {
      // What the dev identity provider keeps across restarts (refresh tokens and their grants); a
      // refresh token's id is its value, so only its SHA-256 is stored (see dev-idp/storage.ts).
      await db.schema
        .createTable('dev_idp_records')
        .addColumn('model', 'text', (column) => column.notNull())
        .addColumn('id', 'text', (column) => column.notNull())
        .addColumn('grant_id', 'text')
        .addColumn('payload', 'text', (column) => column.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('consumed_at', 'text')
        .addPrimaryKeyConstraint('dev_idp_records_key', ['model', 'id'])
        .execute();
      await db.schema
        .createIndex('dev_idp_records_by_grant')
        .on('dev_idp_records')
        .columns(['model', 'grant_id'])
        .execute();
      await db.schema
        .createIndex('dev_idp_records_by_expiry')
        .on('dev_idp_records')
        .column('expires_at')
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('dev_idp_records').execute();
    },
  },
  '0006_ticket_keys': {
    async up(db: Kysely<unknown>) {
      // The relay's identity-ticket keys, shared by every replica and kept across restarts (agents
      // pin them). `generation` is the primary key so two replicas cannot both make the next key.
      // Private keys are stored only sealed, under a key kept outside the database.
      await db.schema
        .createTable('ticket_keys')
        .addColumn('generation', 'integer', (column) => column.primaryKey())
        .addColumn('kid', 'text', (column) => column.notNull().unique())
        .addColumn('sealed_private_key', 'text', (column) => column.notNull())
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('activates_at', 'text', (column) => column.notNull())
        .addColumn('retires_at', 'text', (column) => column.notNull())
        .addColumn('announced_until', 'text', (column) => column.notNull())
        .addColumn('held_until', 'text', (column) => column.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('ticket_keys').execute();
    },
  },
};

export const registryMigrations: MigrationProvider = {
  getMigrations: async () => migrations,
};
