// For the platform admin's home: conditional share requests whose provider has not answered in time (escalated).
import { Link } from 'react-router';
import { usePrefs } from '../../shared/prefs.tsx';
import { departmentName, useDepartments } from '../data.ts';
import { OverdueList } from '../OverdueList.tsx';
import type { ShareRequest } from './types.ts';

export function OverdueRequests() {
  const { t, date } = usePrefs();
  const { rows: departments } = useDepartments();
  return (
    <OverdueList<ShareRequest>
      title={t('Overdue share requests')}
      testId="overdue-requests"
      path="/exchange/requests?overdue=true"
      empty="No overdue share requests"
      extra={<Link to="/exchange?tab=requests">{t('Data sharing')}</Link>}
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
  );
}
