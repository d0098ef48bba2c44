import type { AppError, ForwardablePort, PortForwardTarget } from '@switchboard/contract/app';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { toAppError } from '../../host/core-request-error';
import { useCore } from '../../state/core-context';
import { useAction } from '../../state/use-action';

export interface PortForwardFormProps {
  cluster: string;
  namespace: string;
  kind: PortForwardTarget;
  name: string;
}

/**
 * Starts a port-forward to one of the pod's or service's ports, on a local port of the person's
 * choosing or a free one; the forward then shows in "Port forwards".
 */
export function PortForwardForm({ cluster, namespace, kind, name }: PortForwardFormProps) {
  const api = useCore();
  const start = useAction();
  const [ports, setPorts] = useState<ForwardablePort[]>();
  const [loadError, setLoadError] = useState<AppError>();
  const [port, setPort] = useState<number>();
  const [localPort, setLocalPort] = useState('');
  const [started, setStarted] = useState<string>();
  const portId = useId();
  const localId = useId();
  const localHelpId = useId();

  useEffect(() => {
    let current = true;
    setPorts(undefined);
    api.request('getForwardablePorts', { cluster, namespace, kind, name }).then(
      (result) => current && setPorts(result.ports),
      (error: unknown) => current && setLoadError(toAppError(error)),
    );
    return () => {
      current = false;
    };
  }, [api, cluster, namespace, kind, name]);

  const chosen = port ?? ports?.[0]?.port;
  const localNumber = localPort.trim() === '' ? 0 : Number(localPort);
  const localValid =
    Number.isInteger(localNumber) && (localNumber === 0 || (localNumber >= 1024 && localNumber <= 65535));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (chosen === undefined || !localValid) return;
    setStarted(undefined);
    const forward = await start.run(() =>
      api.request('startPortForward', {
        cluster,
        namespace,
        kind,
        name,
        port: chosen,
        localPort: localNumber,
      }),
    );
    if (forward !== undefined) setStarted(forward.localAddress);
  };

  if (loadError !== undefined) {
    return (
      <p className="form-error" role="alert">
        <ErrorMessage error={loadError} />
      </p>
    );
  }
  if (ports === undefined) {
    return (
      <p role="status" className="muted">
        Reading the ports of {name}…
      </p>
    );
  }
  if (ports.length === 0) {
    return <p className="muted">{name} declares no TCP port to forward.</p>;
  }
  return (
    <form className="port-forward-form" onSubmit={(event) => void submit(event)}>
      <label htmlFor={portId}>Port</label>
      <select id={portId} value={chosen} onChange={(event) => setPort(Number(event.target.value))}>
        {ports.map((each) => (
          <option key={each.port} value={each.port}>
            {each.port}
            {each.name !== undefined && ` (${each.name})`} {each.detail}
          </option>
        ))}
      </select>
      <label htmlFor={localId}>Local port</label>
      <input
        id={localId}
        inputMode="numeric"
        value={localPort}
        placeholder="any free port"
        aria-describedby={localHelpId}
        aria-invalid={!localValid}
        onChange={(event) => setLocalPort(event.target.value)}
      />
      <button type="submit" className="button-primary" disabled={start.pending || !localValid}>
        Start forwarding
      </button>
      <span id={localHelpId} className={localValid ? 'muted' : 'form-error'}>
        {localValid
          ? 'On 127.0.0.1; leave it empty for a free port.'
          : 'A local port is a number from 1024 to 65535, or empty for a free one.'}
      </span>
      {start.error !== undefined && (
        <p className="form-error" role="alert">
          <ErrorMessage error={start.error} />
        </p>
      )}
      {started !== undefined && (
        <p role="status" className="muted">
          Forwarding {started}: it is listed under Port forwards.
        </p>
      )}
    </form>
  );
}
