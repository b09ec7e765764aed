// For the platform admin's home: conditional share requests whose provider has not answered in time (escalated).
import { Card, Table } from 'antd';
import { Link } from 'react-router';
import { usePrefs } from '../../shared/prefs.tsx';
import { departmentName, useDepartments, useList } from '../data.ts';
import type { ShareRequest } from './types.ts';

export function OverdueRequests() {
  const { t, date } = usePrefs();
  const { rows: departments } = useDepartments();
  const { rows } = useList<ShareRequest>('/exchange/requests?overdue=true');
  return (
    <Card
      title={t('Overdue share requests')}
      data-testid="overdue-requests"
      extra={<Link to="/exchange?tab=requests">{t('Data sharing')}</Link>}
    >
      <Table<ShareRequest>
        rowKey="id"
        size="small"
        loading={rows === undefined}
        dataSource={rows ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: t('None overdue') }}
        columns={[
          { title: t('Resource name'), dataIndex: 'registerName' },
          {
            title: t('Provider'),
            dataIndex: 'providerDepartmentId',
            render: (id: number) => departmentName(departments, id),
          },
          {
            title: t('Consumer'),
            dataIndex: 'consumerDepartmentId',
            render: (id: number) => departmentName(departments, id),
          },
          { title: t('Answer due'), dataIndex: 'dueAt', render: (d: string | null) => (d ? date(d) : '') },
        ]}
      />
    </Card>
  );
}
