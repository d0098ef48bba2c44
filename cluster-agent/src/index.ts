/** The Switchboard cluster agent as a library: start it in-process (tests, embedding). */

export {
  type AgentOptions,
  AgentStartError,
  defaultStateDir,
  type RunningAgent,
  startAgent,
} from './agent.js';
export { type AgentCredential, ApiServer, type ApiServerConfig, TokenSource } from './kube/apiserver.js';
export {
  isInCluster,
  KubeconfigError,
  loadInCluster,
  loadKubeconfig,
  parseKubeconfig,
} from './kube/kubeconfig.js';
export { LOG_LEVELS, type LogLevel } from './logger.js';
export { FileStateStore, STATE_FILE_NAME } from './state/file-store.js';
export { DEFAULT_SECRET_NAME, SecretStateStore } from './state/secret-store.js';
export type { AgentState, StateStore } from './state/state.js';
export { ASSERTION_LIFETIME_SECONDS, signAssertion } from './tunnel/assertion.js';
export type { SessionObserver } from './tunnel/connector.js';
export { AGENT_VERSION } from './version.js';
