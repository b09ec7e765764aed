import { useCallback, useEffect, useState } from 'react';
import { ApiError, api, setCsrfToken } from '../shared/api.ts';

export interface AccountSession {
  kind: 'person' | 'enterprise';
  accountId: number;
  displayName: string;
  identifierMasked: string;
  csrfToken: string;
  expiresAt: string;
}

/** The citizen's session: undefined while loading, null when logged out. */
export function useAccountSession() {
  const [session, setSession] = useState<AccountSession | null | undefined>(undefined);
  const accept = useCallback((s: AccountSession | null) => {
    setCsrfToken(s?.csrfToken);
    setSession(s);
  }, []);
  useEffect(() => {
    api<AccountSession>('GET', '/auth/session')
      .then(accept)
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 401) accept(null);
        else accept(null);
      });
  }, [accept]);
  return { session, accept };
}
