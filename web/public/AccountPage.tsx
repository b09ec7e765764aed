import { Descriptions, Skeleton } from 'antd';
import { Navigate } from 'react-router';
import { PasswordForm } from '../shared/PasswordForm.tsx';
import { usePrefs } from '../shared/prefs.tsx';
import { PageCard } from './PageCard.tsx';
import type { AccountSession } from './session.ts';

export function AccountPage({ session }: { session: AccountSession | null | undefined }) {
  const { t } = usePrefs();
  if (session === undefined) return <Skeleton active />;
  if (session === null) return <Navigate to="/login" replace />;
  return (
    <PageCard title={t('My account')}>
      <Descriptions column={1} bordered size="small" style={{ marginBottom: 24 }}>
        <Descriptions.Item label={t('Account type')}>
          {session.kind === 'person' ? t('Person') : t('Enterprise')}
        </Descriptions.Item>
        <Descriptions.Item label={session.kind === 'person' ? t('Name') : t('Enterprise name')}>
          {session.displayName}
        </Descriptions.Item>
        <Descriptions.Item
          label={session.kind === 'person' ? t('Resident ID number') : t('Unified social credit code')}
        >
          {session.identifierMasked}
        </Descriptions.Item>
      </Descriptions>
      <PasswordForm />
    </PageCard>
  );
}
