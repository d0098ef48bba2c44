/** What the relay gives an operator to install an agent: its manifests and its Helm command. */
export { helmCommand } from '../agents/join-token.js';
export { agentManifestObjects, renderAgentManifests } from './agent-manifests.js';
