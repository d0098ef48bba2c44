/**
 * `GET /api/v1/clusters/:name/manifests` (global admins): the agent's install manifests as YAML,
 * with a fresh join token in their Secret. Query: `image`, `replicas` (1-10, default 2),
 * `networkPolicy` (`true` | `false`, default true).
 */
import { z } from 'zod';
import type { AdminService } from '../admin/admin-service.js';
import { badRequest } from '../api/http-problem.js';
import type { RequestContext, RouteHandler } from '../api/request-handler.js';
import { sendText } from '../api/responses.js';
import {
  AgentManifestError,
  checkAgentManifestOptions,
  DEFAULT_AGENT_IMAGE,
  renderAgentManifests,
} from './agent-manifests.js';

const manifestsQuerySchema = z.strictObject({
  image: z.string().min(1).max(512).optional(),
  replicas: z
    .string()
    .regex(/^\d{1,2}$/, 'replicas must be a number from 1 to 10')
    .transform(Number)
    .optional(),
  networkPolicy: z.enum(['true', 'false']).optional(),
});

export function agentManifestsHandler(admin: AdminService, relayUrl: string): RouteHandler {
  return async (context: RequestContext) => {
    const identity = await context.identity();
    const query = new URL(context.req.url ?? '/', 'http://relay.invalid').searchParams;
    const parsed = manifestsQuerySchema.safeParse(Object.fromEntries(query));
    if (!parsed.success) {
      throw badRequest(`invalid query: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
    }
    const options = {
      relayUrl,
      image: parsed.data.image ?? DEFAULT_AGENT_IMAGE,
      ...(parsed.data.replicas !== undefined && { replicas: parsed.data.replicas }),
      networkPolicy: parsed.data.networkPolicy !== 'false',
    };
    try {
      checkAgentManifestOptions(options);
    } catch (error) {
      if (error instanceof AgentManifestError) throw badRequest(error.message);
      throw error;
    }
    // Only global admins may issue join tokens; the service refuses everyone else.
    const issued = await admin.issueJoinToken({ kind: 'user', identity }, context.params.name, {});
    const yaml = renderAgentManifests({ ...options, cluster: issued.cluster, joinToken: issued.joinToken });
    return {
      status: 200,
      stream: async (res) => sendText(res, 200, yaml, 'text/yaml; charset=utf-8'),
    };
  };
}
