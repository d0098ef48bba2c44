/** The built command-line entry points, as users run them (files to run, not modules to import). */
import { fileURLToPath } from 'node:url';

const built = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

export const RELAY_CLI = built('relay-server/dist/cli/main.js');
export const AGENT_CLI = built('cluster-agent/dist/cli/main.js');
export const SWITCHBOARD_CLI = built('main/dist/cli/main.js');
export const KUBE_SIM_CLI = built('kube-sim/dist/cli.js');
