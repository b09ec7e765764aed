// Unified sign-in (统一身份认证) on both sign-in pages: the provider's button when one is configured, and the error a
// failed sign-in came back with (?oidcError=<code>), in the reader's language.
import { Alert, Button, Divider } from 'antd';
import { useEffect, useState } from 'react';
import { api } from './api.ts';
import { usePrefs } from './prefs.tsx';

interface SignInMethods {
  password: boolean;
  oidc: { label: string; startUrl: string } | null;
}

export function OidcSignIn({ returnTo }: { returnTo: string }) {
  const { t, lang } = usePrefs();
  const [methods, setMethods] = useState<SignInMethods>();
  useEffect(() => {
    api<SignInMethods>('GET', '/auth/methods').then(setMethods, () => setMethods(undefined));
  }, []);
  if (!methods?.oidc) return null;
  const href = `${methods.oidc.startUrl}?returnTo=${encodeURIComponent(returnTo)}`;
  return (
    <>
      <Button type="primary" size="large" block href={href} data-testid="oidc-sign-in">
        {lang === 'zh' ? `使用${methods.oidc.label}登录` : `Sign in with ${methods.oidc.label}`}
      </Button>
      <Divider plain>{t('or with a password')}</Divider>
    </>
  );
}

/** The error of a unified sign-in that failed, read once from the address (and then removed from it). */
export function OidcError() {
  const { error } = usePrefs();
  const [code] = useState(() => new URLSearchParams(window.location.search).get('oidcError'));
  useEffect(() => {
    if (!code) return;
    const url = new URL(window.location.href);
    url.searchParams.delete('oidcError');
    window.history.replaceState(null, '', url);
  }, [code]);
  if (!code || !/^[a-z_.]{1,60}$/.test(code)) return null;
  return <Alert type="error" showIcon title={error(code, code)} style={{ marginBottom: 16 }} />;
}

/** Ends the session; one the identity provider opened continues to the provider's logout page. */
export async function logoutEverywhere(): Promise<boolean> {
  const out = await api<{ endSessionUrl: string | null }>('POST', '/auth/logout');
  if (out?.endSessionUrl) {
    window.location.assign(out.endSessionUrl);
    return true;
  }
  return false;
}
