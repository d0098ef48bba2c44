import type { Identity } from '@switchboard/contract/identity';

/**
 * Who performs an administration operation: a signed-in user over the API, whose rights come
 * from grants and the configured global admins, or an operator with the relay's data directory
 * on the server itself (the CLI), who may do everything, like a kubeadm user on a control plane.
 */
export type Actor =
  | { kind: 'user'; identity: Identity }
  | { kind: 'operator' /** recorded as `created_by`, e.g. `operator:root` */; name: string };
