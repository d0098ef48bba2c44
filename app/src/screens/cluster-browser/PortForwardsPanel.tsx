import { CopyButton } from '../../components/CopyButton';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useCore } from '../../state/core-context';
import { usePortForwards } from '../../state/use-port-forwards';

/**
 * The port-forwards that run (from any view; they keep running while the UI moves on): where each
 * goes, its local address to copy or open, and Stop.
 */
export function PortForwardsPanel() {
  const api = useCore();
  const forwards = usePortForwards();
  if (forwards.length === 0) return null;
  return (
    <section className="port-forwards" aria-labelledby="port-forwards-heading">
      <h3 id="port-forwards-heading">Port forwards</h3>
      <ul>
        {forwards.map((forward) => {
          const { kind, name, port } = forward.target;
          const target = `${kind === 'services' ? 'service' : 'pod'} ${forward.namespace}/${name}:${port}`;
          const url = `http://${forward.localAddress}`;
          return (
            <li
              key={forward.forwardId}
              data-testid={`port-forward-${forward.localPort}`}
              data-state={forward.state}
              className="port-forward"
            >
              <span>
                <code>{forward.localAddress}</code> → {target}
                {kind === 'services' && (
                  <span className="muted">
                    {' '}
                    (pod {forward.pod}:{forward.podPort})
                  </span>
                )}{' '}
                <span className="muted">
                  on {forward.cluster}
                  {forward.connections > 0 && `, ${forward.connections} open`}
                </span>
              </span>
              <span className="port-forward-actions">
                <CopyButton
                  text={forward.localAddress}
                  label="Copy"
                  accessibleName={`Copy ${forward.localAddress}`}
                />
                <button
                  type="button"
                  disabled={forward.state !== 'forwarding'}
                  onClick={() => void api.request('openExternal', { url }).catch(() => {})}
                  aria-label={`Open ${url} in the browser`}
                >
                  Open
                </button>
                <button
                  type="button"
                  onClick={() =>
                    void api.request('stopPortForward', { forwardId: forward.forwardId }).catch(() => {})
                  }
                  aria-label={`Stop forwarding ${forward.localAddress}`}
                >
                  Stop
                </button>
              </span>
              {forward.error !== undefined && (
                <span className={forward.state === 'failed' ? 'form-error' : 'muted'}>
                  <ErrorMessage error={forward.error} />
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
