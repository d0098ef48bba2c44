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
export { createLogger, LOG_LEVELS, type Logger, type LogLevel } from './logger.js';
export { FileStateStore, STATE_FILE_NAME } from './state/file-store.js';
export { DEFAULT_SECRET_NAME, SecretStateStore } from './state/secret-store.js';
export type { AgentState, StateStore } from './state/state.js';
export { ASSERTION_LIFETIME_SECONDS, importPrivateKey, signAssertion } from './tunnel/assertion.js';
export type { SessionObserver } from './tunnel/connector.js';
export { generatePrivateKey, publicKeyOf } from './tunnel/join.js';
export { rotationDueAt } from './tunnel/rotation.js';
export { AGENT_VERSION } from './version.js';
