/** The whole Switchboard request path in-process: `startChain()`. */
export {
  type Chain,
  type ChainAgent,
  type ChainClient,
  type ChainOptions,
  type ChainRelay,
  type ChainUser,
  type ChainUserSpec,
  type LogDestination,
  type RelayRole,
  startChain,
  tokenStoreFor,
} from './chain.js';
export { KubeAdminClient, type KubeObjectLike, type KubeResponse } from './kube-admin.js';
