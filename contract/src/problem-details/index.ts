/**
 * Error bodies Switchboard answers with: RFC 9457 problems from the relay's API, and Kubernetes
 * `Status` objects from the agent and the local proxy, which kubectl prints.
 */
export * from './kube-status.js';
export * from './problem.js';
