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
};

export const registryMigrations: MigrationProvider = {
  getMigrations: async () => migrations,
};
