// Loading a list from the API: the rows, or the reason they could not be loaded — never an endless spinner, and never
// a failure that looks like an empty list.
import { Alert, Button } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, api } from './api.ts';
import { usePrefs } from './prefs.tsx';

/** GETs a list (null: not yet, e.g. before sign-in); `rows` is undefined while loading, [] after a failure. */
export function useList<T>(path: string | null) {
  const { t, error: explain } = usePrefs();
  const [rows, setRows] = useState<T[] | undefined>();
  const [error, setError] = useState<string>();
  const reload = useCallback(() => {
    if (path === null) return;
    api<T[]>('GET', path)
      .then((r) => {
        setRows(r);
        setError(undefined);
      })
      .catch((e: unknown) => {
        setRows([]);
        setError(e instanceof ApiError ? explain(e.code, e.message) : t('The list could not be loaded.'));
      });
  }, [path, explain, t]);
  // Another list (a new filter) loads from scratch: no stale rows under the new heading.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset exactly when the path changes
  useEffect(() => setRows(undefined), [path]);
  useEffect(reload, [reload]);
  return { rows, error, reload };
}

/** Why a list is empty when it failed to load, with a way to try again. */
export function LoadError({ error, onRetry }: { error: string | undefined; onRetry: () => void }) {
  const { t } = usePrefs();
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={error}
      action={
        <Button size="small" onClick={onRetry}>
          {t('Try again')}
        </Button>
      }
      style={{ marginBottom: 12 }}
    />
  );
}
