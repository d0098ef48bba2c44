/**
 * The registry's tables as Kysely sees them, shared by the SQLite and Postgres stores (the schema
 * itself is `migrations.ts`). Timestamps are ISO-8601 text in one fixed format, so they compare
 * and sort correctly as text under any collation.
 */
import type { Role, SubjectKind } from '@switchboard/contract/relay-api';
import type { Generated } from 'kysely';

export interface ClustersTable {
  name: string;
  description: Generated<string>;
  /** A JSON object of string values. */
  labels: Generated<string>;
  created_at: string;
  created_by: string;
}

export interface GrantsTable {
  cluster: string;
  subject_kind: SubjectKind;
  subject: string;
  role: Role;
  created_at: string;
  created_by: string;
}

export interface JoinTokensTable {
  token_hash: string;
  cluster: string;
  created_at: string;
  created_by: string;
  expires_at: string;
  used_at: string | null;
}

export interface AgentCredentialsTable {
  id: string;
  cluster: string;
  public_key: string;
  thumbprint: string;
  agent_version: string;
  issued_at: string;
  expires_at: string;
  revoked_at: string | null;
  superseded_at: string | null;
  superseded_by: string | null;
}

export interface ClusterPresenceTable {
  cluster: string;
  last_seen_at: string;
  /** `ClusterMetadata` as JSON. */
  metadata: string | null;
}

export interface RelaySettingsTable {
  key: string;
  value: string;
}

export interface DevIdpRecordsTable {
  model: string;
  id: string;
  grant_id: string | null;
  payload: string;
  expires_at: string | null;
  consumed_at: string | null;
}

export interface TicketKeysTable {
  generation: number;
  kid: string;
  sealed_private_key: string;
  created_at: string;
  activates_at: string;
  retires_at: string;
  announced_until: string;
  held_until: string;
}

export interface RegistryDatabase {
  clusters: ClustersTable;
  grants: GrantsTable;
  join_tokens: JoinTokensTable;
  agent_credentials: AgentCredentialsTable;
  relay_settings: RelaySettingsTable;
  cluster_presence: ClusterPresenceTable;
  dev_idp_records: DevIdpRecordsTable;
  ticket_keys: TicketKeysTable;
}
