import type { AppError, ResourceRow, ResourceTypeId } from '@switchboard/contract/app';
import { useEffect, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { YamlView } from '../../components/YamlView';
import { toAppError } from '../../host/core-request-error';
import { useCore } from '../../state/core-context';

export interface ResourceYamlProps {
  cluster: string;
  kind: ResourceTypeId;
  row: ResourceRow;
  objectLabel: string;
}

/** The object's YAML as the apiserver returns it now; "Reload" fetches it again. */
export function ResourceYaml({ cluster, kind, row, objectLabel }: ResourceYamlProps) {
  const api = useCore();
  const [fetched, setFetched] = useState<{ yaml: string } | { error: AppError }>();
  const [generation, setGeneration] = useState(0);
  const { name, namespace } = row;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` is the "reload" trigger.
  useEffect(() => {
    let current = true;
    setFetched(undefined);
    api
      .request('getResourceYaml', { cluster, kind, name, ...(namespace !== undefined && { namespace }) })
      .then(
        (result) => current && setFetched({ yaml: result.yaml }),
        (reason: unknown) => current && setFetched({ error: toAppError(reason) }),
      );
    return () => {
      current = false;
    };
  }, [api, cluster, kind, name, namespace, generation]);

  return (
    <div className="resource-yaml">
      <div className="panel-toolbar">
        <button
          type="button"
          onClick={() => setGeneration((value) => value + 1)}
          disabled={fetched === undefined}
        >
          Reload
        </button>
      </div>
      {fetched === undefined && (
        <p role="status" className="muted">
          Loading YAML…
        </p>
      )}
      {fetched !== undefined && 'error' in fetched && (
        <p className="form-error" role="alert">
          <ErrorMessage error={fetched.error} />
        </p>
      )}
      {fetched !== undefined && 'yaml' in fetched && (
        <YamlView yaml={fetched.yaml} objectLabel={objectLabel} />
      )}
    </div>
  );
}
