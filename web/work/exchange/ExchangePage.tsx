// 数据共享 (半内半外): requests, grants, subscriptions, the access log and the safety valve, on one page of tabs.
import { Card, Tabs } from 'antd';
import { useSearchParams } from 'react-router';
import { usePrefs } from '../../shared/prefs.tsx';
import { heading } from '../registry/shared.tsx';
import { AccessLogTab } from './AccessLogTab.tsx';
import { GrantsTab, SubscriptionsTab } from './GrantsTab.tsx';
import { RequestsTab } from './RequestsTab.tsx';
import { ValveTab } from './ValveTab.tsx';

export function ExchangePage() {
  const { t } = usePrefs();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'requests';
  return (
    <Card title={heading(t('Data sharing'))}>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams({ tab: key })}
        destroyOnHidden
        items={[
          { key: 'requests', label: t('Share requests'), children: <RequestsTab /> },
          { key: 'grants', label: t('Grants'), children: <GrantsTab /> },
          { key: 'subscriptions', label: t('Subscriptions'), children: <SubscriptionsTab /> },
          { key: 'log', label: t('Access log'), children: <AccessLogTab /> },
          { key: 'valve', label: t('Safety valve'), children: <ValveTab /> },
        ]}
      />
    </Card>
  );
}
