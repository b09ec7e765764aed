// 我的存证: the receipts of what the government did for this citizen, each verifiable.
import { Card, Skeleton, Table } from 'antd';
import { Link, Navigate } from 'react-router';
import { LoadError, useList } from '../shared/load.tsx';
import { usePrefs } from '../shared/prefs.tsx';
import type { AccountSession } from './session.ts';

interface ReceiptSummary {
  receiptId: string;
  index: number;
  type: string;
  time: string;
  subject: string;
}

export function ReceiptsPage({ session }: { session: AccountSession | null | undefined }) {
  const { t, date, label } = usePrefs();
  const { rows, error, reload } = useList<ReceiptSummary>(session ? '/ledger/receipts' : null);
  if (session === undefined) return <Skeleton active />;
  if (session === null) return <Navigate to="/login" replace />;
  return (
    <Card title={<h1 style={{ fontSize: '1.25em', margin: 0 }}>{t('My receipts')}</h1>}>
      <LoadError error={error} onRetry={reload} />
      <Table<ReceiptSummary>
        rowKey="receiptId"
        loading={rows === undefined}
        dataSource={rows ?? []}
        pagination={{ hideOnSinglePage: true }}
        scroll={{ x: true }}
        locale={{ emptyText: t('No receipts yet; new ones appear within a second.') }}
        columns={[
          {
            title: t('What'),
            dataIndex: 'type',
            render: (type: string) => label('ledgerType', type),
          },
          { title: t('When'), dataIndex: 'time', render: (time: string) => date(time) },
          { title: t('Log index'), dataIndex: 'index' },
          {
            title: t('Actions'),
            render: (_: unknown, r: ReceiptSummary) => (
              <Link to={`/verify?receipt=${encodeURIComponent(r.receiptId)}`}>{t('Verify')}</Link>
            ),
          },
        ]}
      />
    </Card>
  );
}
