/**
 * Who a caller is: the `Identity` the relay derives from a user's token, and the one check of the
 * username and groups the apiserver will see, which relay and agent both run.
 */
export { type Identity, TOKEN_CLOCK_TOLERANCE_SECONDS, TUNNEL_MODES, type TunnelMode } from './identity.js';
export * from './kubernetes-identity.js';
