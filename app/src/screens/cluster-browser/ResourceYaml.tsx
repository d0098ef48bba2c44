import type { AppError, ApplyResult, ResourceRow, ResourceTypeId } from '@switchboard/contract/app';
import { useEffect, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { YamlEditor } from '../../components/YamlEditor';
import { YamlView } from '../../components/YamlView';
import { toAppError } from '../../host/core-request-error';
import { useCore } from '../../state/core-context';
import { useAction } from '../../state/use-action';
import { ApplyOutcome } from './ApplyOutcome';

export interface ResourceYamlProps {
  cluster: string;
  kind: ResourceTypeId;
  row: ResourceRow;
  objectLabel: string;
  /** Whether the user may change the object (offers "Edit"). */
  canEdit: boolean;
}

/**
 * The object's YAML as the apiserver returns it now; "Reload" fetches it again. "Edit" turns it
 * into an editor whose "Apply" is a server-side apply: conflicts name the fields and their managers
 * and offer to apply anyway (force) or reload; a stale object or invalid YAML says so.
 */
export function ResourceYaml({ cluster, kind, row, objectLabel, canEdit }: ResourceYamlProps) {
  const api = useCore();
  const apply = useAction();
  const [fetched, setFetched] = useState<{ yaml: string } | { error: AppError }>();
  const [generation, setGeneration] = useState(0);
  const [draft, setDraft] = useState<string>();
  const [outcome, setOutcome] = useState<ApplyResult>();
  const { name, namespace } = row;
  const target = { cluster, kind, name, ...(namespace !== undefined && { namespace }) };

  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` is the "reload" trigger.
  useEffect(() => {
    let current = true;
    setFetched(undefined);
    api
      .request('getResourceYaml', { cluster, kind, name, ...(namespace !== undefined && { namespace }) })
      .then(
        (result) => {
          if (!current) return;
          setFetched({ yaml: result.yaml });
          // A reload while editing starts the edit again from what is there now.
          setDraft((editing) => (editing === undefined ? undefined : result.yaml));
        },
        (reason: unknown) => current && setFetched({ error: toAppError(reason) }),
      );
    return () => {
      current = false;
    };
  }, [api, cluster, kind, name, namespace, generation]);

  const reload = () => {
    setOutcome(undefined);
    setGeneration((value) => value + 1);
  };

  const submit = async (force: boolean) => {
    if (draft === undefined) return;
    const result = await apply.run(() => api.request('applyResourceYaml', { ...target, yaml: draft, force }));
    if (result === undefined) return;
    setOutcome(result);
    if (result.outcome === 'applied') {
      setFetched({ yaml: result.yaml });
      setDraft(undefined);
    }
  };

  const yaml = fetched !== undefined && 'yaml' in fetched ? fetched.yaml : undefined;
  return (
    <div className="resource-yaml">
      <div className="panel-toolbar">
        {draft === undefined ? (
          <>
            <button type="button" onClick={reload} disabled={fetched === undefined}>
              Reload
            </button>
            {canEdit && (
              <button
                type="button"
                onClick={() => {
                  setOutcome(undefined);
                  apply.clearError();
                  setDraft(yaml);
                }}
                disabled={yaml === undefined}
              >
                Edit
              </button>
            )}
          </>
        ) : (
          <>
            <button
              type="button"
              className="button-primary"
              onClick={() => void submit(false)}
              disabled={apply.pending}
            >
              {apply.pending ? 'Applying…' : 'Apply'}
            </button>
            <button
              type="button"
              onClick={() => {
                setDraft(undefined);
                setOutcome(undefined);
              }}
              disabled={apply.pending}
            >
              Cancel editing
            </button>
            <p className="muted">Server-side apply as “switchboard”; the status part is not applied.</p>
          </>
        )}
      </div>
      {apply.error !== undefined && (
        <p className="form-error" role="alert">
          <ErrorMessage error={apply.error} />
        </p>
      )}
      {outcome !== undefined && (
        <ApplyOutcome
          outcome={outcome}
          pending={apply.pending}
          onForce={() => void submit(true)}
          onReload={reload}
        />
      )}
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
      {draft !== undefined ? (
        <YamlEditor
          value={draft}
          onChange={setDraft}
          label={`Edit YAML of ${objectLabel}`}
          errorLine={outcome?.outcome === 'invalid' ? outcome.line : undefined}
          disabled={apply.pending}
        />
      ) : (
        yaml !== undefined && <YamlView yaml={yaml} objectLabel={objectLabel} />
      )}
    </div>
  );
}
