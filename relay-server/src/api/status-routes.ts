/** The live status stream (`GET /api/v1/clusters/events`, Server-Sent Events). */
import { apiPaths } from '@switchboard/contract/relay-api';
import type { ClusterEventHub } from '../status/cluster-event-hub.js';
import type { RouteHandler } from './request-handler.js';
import type { Router } from './router.js';

/** Add before the admin routes: `/clusters/:name` would otherwise take `events` for a cluster name. */
export function addStatusRoutes(router: Router<RouteHandler>, hub: ClusterEventHub): void {
  router.add(apiPaths.clusterEvents, {
    GET: async (context) => {
      const identity = await context.identity();
      return { status: 200, stream: (res) => hub.subscribe(identity, res) };
    },
  });
}
