/** Routes for machines rather than people: health probes and the client configuration. */
import { PROBLEM_TYPES } from '@switchboard/contract/problem-details';
import { CONFIGURATION_PATH, type SwitchboardConfiguration } from '@switchboard/contract/relay-api';
import { HttpProblem } from './http-problem.js';
import type { RouteHandler } from './request-handler.js';
import type { Router } from './router.js';

/** Why the relay cannot serve yet, or undefined when it can. */
export type ReadinessCheck = () => Promise<string | undefined>;

export function addServiceRoutes(
  router: Router<RouteHandler>,
  configuration: SwitchboardConfiguration,
  notReadyBecause: ReadinessCheck,
): void {
  // Liveness: the process answers; nothing else is checked, so a slow issuer never gets it restarted.
  router.add('/healthz', { GET: () => ({ status: 200, body: { status: 'ok' } }) });

  router.add('/readyz', {
    GET: async () => {
      const reason = await notReadyBecause();
      if (reason !== undefined) {
        throw new HttpProblem(503, PROBLEM_TYPES.notReady, 'Not ready', reason, { 'retry-after': '5' });
      }
      return { status: 200, body: { status: 'ready' } };
    },
  });

  router.add(CONFIGURATION_PATH, { GET: () => ({ status: 200, body: configuration }) });
}
