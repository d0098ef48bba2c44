/** The administration API (`/api/v1`): who am I, clusters, and their access grants. */
import {
  API_PREFIX,
  apiPaths,
  type Cluster,
  type ClusterView,
  type IssuedJoinToken,
} from '@switchboard/contract/relay-api';
import type { AdminService, NewJoinTokenIssued } from '../admin/admin-service.js';
import { agentCommand, helmCommand } from '../agents/join-token.js';
import { agentManifestsHandler } from '../install/manifests-route.js';
import type { RequestContext, RouteHandler } from './request-handler.js';
import type { Router } from './router.js';

export function addAdminRoutes(
  router: Router<RouteHandler>,
  admin: AdminService,
  relayUrl: string,
  /** Adds live status to registry entries (see `ClusterStatusService.views`). */
  clusterViews: (clusters: Cluster[]) => Promise<ClusterView[]>,
): void {
  const user = async (context: RequestContext) => ({
    kind: 'user' as const,
    identity: await context.identity(),
  });

  router.add(`${API_PREFIX}/whoami`, {
    GET: async (context) => ({ status: 200, body: admin.whoami(await context.identity()) }),
  });

  router.add(`${API_PREFIX}/clusters`, {
    GET: async (context) => ({
      status: 200,
      body: { items: await clusterViews(await admin.listClusters(await user(context))) },
    }),
    POST: async (context) => {
      const actor = await user(context);
      const cluster: Cluster = await admin.createCluster(actor, await context.body());
      return { status: 201, body: cluster, headers: { location: apiPaths.cluster(cluster.name) } };
    },
  });

  router.add(`${API_PREFIX}/clusters/:name`, {
    GET: async (context) => ({
      status: 200,
      body: await admin.getCluster(await user(context), context.params.name),
    }),
    DELETE: async (context) => {
      await admin.deleteCluster(await user(context), context.params.name);
      return { status: 204 };
    },
  });

  router.add(`${API_PREFIX}/clusters/:name/grants`, {
    GET: async (context) => ({
      status: 200,
      body: { items: await admin.listGrants(await user(context), context.params.name) },
    }),
    POST: async (context) => {
      const actor = await user(context);
      return { status: 200, body: await admin.grant(actor, context.params.name, await context.body()) };
    },
  });

  // Both answer with a join token; the body is optional: none (or `{}`) takes the default lifetime.
  const joinTokenReply = (issued: NewJoinTokenIssued) => {
    const body: IssuedJoinToken = {
      ...issued,
      agentCommand: agentCommand(relayUrl, issued.joinToken),
      helmCommand: helmCommand(relayUrl, issued.cluster, issued.joinToken),
    };
    return { status: 201, body };
  };
  const optionalBody = async (context: RequestContext) => {
    const { headers } = context.req;
    const bodyless =
      headers['content-type'] === undefined &&
      !headers['transfer-encoding'] &&
      !Number(headers['content-length'] ?? 0);
    return bodyless ? {} : await context.body();
  };

  router.add(`${API_PREFIX}/clusters/:name/join-tokens`, {
    POST: async (context) => {
      const actor = await user(context);
      return joinTokenReply(
        await admin.issueJoinToken(actor, context.params.name, await optionalBody(context)),
      );
    },
  });

  router.add(`${API_PREFIX}/clusters/:name/rejoin`, {
    POST: async (context) => {
      const actor = await user(context);
      return joinTokenReply(await admin.rejoin(actor, context.params.name, await optionalBody(context)));
    },
  });

  router.add(`${API_PREFIX}/clusters/:name/manifests`, { GET: agentManifestsHandler(admin, relayUrl) });

  router.add(`${API_PREFIX}/clusters/:name/grants/:kind/:subject`, {
    DELETE: async (context) => {
      const { name, kind, subject } = context.params;
      await admin.revoke(await user(context), name, kind, subject);
      return { status: 204 };
    },
  });
}
