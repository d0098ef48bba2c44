/**
 * Every key and channel the fleet keeps in Redis, in one place. All of it is soft state: it expires
 * or is rebuilt by the replicas, so losing Redis loses nothing that Postgres does not hold.
 */
export const redisKeys = {
  /** ZSET: replica id → when its lease ends (ms since the epoch); refreshed while it lives. */
  replicas: 'sb:replicas',
  /** HASH of a replica: `peerUrl`, `startedAt`. */
  replica: (replicaId: string) => `sb:replica:${replicaId}`,
  /** HASH of a replica: cluster → agent sessions of that cluster the replica holds. */
  holdings: (replicaId: string) => `sb:holdings:${replicaId}`,
  /** STRING with an expiry: an agent assertion (credential id and jti) already used. */
  replay: (key: string) => `sb:replay:${key}`,
  /** Per user: the token bucket of stream OPENs (HASH `tokens`, `at`). */
  userOpenRate: (user: string) => `sb:user-rate:${user}`,
  /** HASH of a replica: user → streams that user holds through it. */
  userStreams: (replicaId: string) => `sb:user-streams:${replicaId}`,
  /** HASH of a replica: user → tunnel sessions that user holds with it. */
  userSessions: (replicaId: string) => `sb:user-sessions:${replicaId}`,
  /** Pub/sub channel of the fleet's changes (`fleet-events.ts`). */
  events: 'sb:events',
} as const;
