// For the platform admin's home: objections whose provider has not answered by the deadline.
import { Link } from 'react-router';
import { usePrefs } from '../../shared/prefs.tsx';
import { OverdueList } from '../OverdueList.tsx';

interface Overdue {
  id: number;
  register: string;
  recordId: number;
  reason: string;
  dueAt: string;
}

export function OverdueObjections() {
  const { t, date } = usePrefs();
  return (
    <OverdueList<Overdue>
      title={t('Overdue objections')}
      testId="overdue-objections"
      path="/registry/objections?overdue=true"
      empty="No overdue objections"
      columns={[
        {
          title: t('Resource code'),
          dataIndex: 'register',
          render: (code: string) => <Link to={`/registry/${code}`}>{code}</Link>,
        },
        { title: t('Record'), dataIndex: 'recordId' },
        { title: t('Reason'), dataIndex: 'reason' },
        { title: t('Answer by'), dataIndex: 'dueAt', render: (d: string) => date(d) },
      ]}
    />
  );
}
