import type { AppError, AppRequestParams, ResourceAccess } from '@switchboard/contract/app';
import { useEffect, useState } from 'react';
import { toAppError } from '../host/core-request-error';
import { useCore } from './core-context';

export interface AccessReview {
  /** Undefined until the cluster answered: nothing is offered before then. */
  access: ResourceAccess | undefined;
  error: AppError | undefined;
}

/** What the user may do with one object (`accessReview`), asked again when the object changes. */
export function useAccessReview(target: AppRequestParams<'accessReview'>): AccessReview {
  const api = useCore();
  const [review, setReview] = useState<AccessReview>({ access: undefined, error: undefined });
  const { cluster, kind, namespace, name } = target;
  useEffect(() => {
    let current = true;
    setReview({ access: undefined, error: undefined });
    api.request('accessReview', { cluster, kind, name, ...(namespace !== undefined && { namespace }) }).then(
      (access) => current && setReview({ access, error: undefined }),
      (reason: unknown) => current && setReview({ access: undefined, error: toAppError(reason) }),
    );
    return () => {
      current = false;
    };
  }, [api, cluster, kind, namespace, name]);
  return review;
}
