/**
 * The desktop core's public surface, for the hosts (the Electron main process, the browser host),
 * the demo and the end-to-end tests: sign-in flows, the keychain token store, sessions, the relay
 * client, the local proxy and the app core. The core imports no host: the browser host is
 * `@switchboard/main/browser-host`.
 */

export { AccountRegistry, NoRelaySelectedError } from './accounts/account-registry.js';
export { AppCore, type AppCoreOptions, DEFAULT_OWNER } from './app/app-core.js';
export { AppRequestError, toAppError } from './app/app-error.js';
export { defaultSettings, type Settings } from './app/app-settings.js';
export { RendererNotBuiltError, rendererDirectory } from './app/renderer-files.js';
export { switchboardConfigDirectory } from './files/config-directory.js';
export {
  KubeconfigFileError,
  MergeRecords,
  mergeKubeconfig,
  unmergeKubeconfig,
} from './kubeconfig/kubeconfig-merge.js';
export {
  defaultKubeconfigPath,
  defaultSwitchboardKubeconfigPath,
  kubeconfigEntries,
  switchboardKubeconfigYaml,
  writeSwitchboardKubeconfig,
} from './kubeconfig/switchboard-kubeconfig.js';
export {
  EphemeralLocalIdentityStore,
  generateLocalIdentity,
  KeychainLocalIdentityStore,
  type LocalIdentity,
  type LocalIdentityStore,
  loadOrCreateLocalIdentity,
} from './local-proxy/local-identity.js';
export {
  DEFAULT_LOCAL_PROXY_PORT,
  LocalProxy,
  type LocalProxyOptions,
  NonLoopbackAddressError,
  PortInUseError,
} from './local-proxy/local-proxy.js';
export { LocalProxyService, type LocalProxyServiceOptions } from './local-proxy/local-proxy-service.js';
export {
  ProxyController,
  type ProxyControllerOptions,
  type ProxyStatus,
  type ProxyTarget,
} from './local-proxy/proxy-controller.js';
export { createLogger, type Logger } from './logging/logger.js';
export {
  type ClusterView,
  RelayApiClient,
  RelayApiError,
  type WhoamiResult,
} from './relay-client/relay-api.js';
export {
  fetchRelayConfiguration,
  RelayConfigurationError,
  type SwitchboardConfiguration,
} from './relay-client/relay-configuration.js';
export { InvalidRelayUrlError, normalizeRelayUrl } from './relay-client/relay-url.js';
export { AccountTokens, type AccountTokensOptions } from './session/account-tokens.js';
export { type BearerToken, bearerTokenOf } from './session/bearer-token.js';
export { bearerTokenSource } from './session/bearer-token-source.js';
export { type ClaimedIdentity, claimedIdentity } from './session/identity-claims.js';
export { SignInRequiredError } from './session/sign-in-required-error.js';
export type { StatusWatcher, StatusWatcherOptions } from './session/signed-in-session.js';
export { type BrowserOpener, openInSystemBrowser } from './sign-in/browser-opener.js';
export {
  type BrowserSignInOptions,
  SignInTimedOutError,
  signInWithBrowser,
} from './sign-in/browser-sign-in.js';
export {
  type ServicePrincipal,
  signInWithClientCredentials,
} from './sign-in/client-credentials-sign-in.js';
export { ClientSecretFileError } from './sign-in/client-secret-file.js';
export { type DeviceCodePrompt, signInWithDeviceCode } from './sign-in/device-code-sign-in.js';
export { IssuerDiscoveryError } from './sign-in/issuer-connection.js';
export { SignInService, type SignInServiceOptions, type SignInView } from './sign-in/sign-in-service.js';
export { type SignInMethod, signInToRelay } from './sign-in/sign-in-to-relay.js';
export { signOutOfRelay } from './sign-in/sign-out.js';
export { storedTokensFromResponse } from './sign-in/token-response.js';
export {
  ClusterStatusWatcher,
  type ClusterStatusWatcherOptions,
  type ClusterStatusWatcherState,
} from './status/cluster-status-watcher.js';
export { EphemeralTokenStore } from './token-store/ephemeral-token-store.js';
export { KeychainTokenStore } from './token-store/keychain-token-store.js';
export { KeychainUnavailableError } from './token-store/os-keychain.js';
export type { OAuthGrant, StoredTokens, TokenStore } from './token-store/token-store.js';
export { RelayTunnel, type RelayTunnelOptions, type RelayTunnelState } from './tunnel/relay-tunnel.js';
export { RelayUnavailableError, TunnelRefusedError } from './tunnel/tunnel-errors.js';
