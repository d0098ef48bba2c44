/** The agent-facing HTTP API: join and key rotation (the tunnel itself is a WebSocket upgrade, see `tunnel/`). */
import { tunnelPaths } from '@switchboard/contract/tunnel';
import type { AgentJoinService } from '../agents/agent-join.js';
import type { AgentRotationService } from '../agents/agent-rotation.js';
import type { RouteHandler } from './request-handler.js';
import type { Router } from './router.js';

export function addAgentRoutes(
  router: Router<RouteHandler>,
  join: AgentJoinService,
  rotation: AgentRotationService,
): void {
  router.add(tunnelPaths.agentJoin, {
    // No bearer token: the join token in the body is the credential.
    POST: async (context) => ({ status: 200, body: await join.join(await context.body()) }),
  });
  router.add(tunnelPaths.agentRotate, {
    // The bearer is the agent's own assertion, not a user token: the rotation service checks it.
    POST: async (context) => ({
      status: 200,
      body: await rotation.rotate(context.req.headers.authorization, await context.body()),
    }),
  });
}
