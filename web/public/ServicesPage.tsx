// 办事服务: sub-platforms, their items, and an item's guide (办事指南) with every field a citizen needs before applying.
import { Alert, Button, Card, Col, Descriptions, List, Row, Skeleton, Space, Steps, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api } from '../shared/api.ts';
import { LoadError, useList } from '../shared/load.tsx';
import { usePrefs } from '../shared/prefs.tsx';
import { SearchBox } from './SearchPage.tsx';

export interface Subplatform {
  code: string;
  name: string;
  audience: 'person' | 'enterprise' | 'both';
  description: string;
  items: number;
}

interface Material {
  name: string;
  source: 'upload' | 'register' | 'license';
  register?: string;
  trust: string;
  required: boolean;
}

interface ServiceItem {
  code: string;
  subplatform: string;
  department: string;
  guide: {
    name: string;
    type: string;
    competentDepartment: string;
    basis: string;
    audience: string;
    conditions: string;
    materials: Material[];
    process: string[];
    fee: { free: boolean; standard?: string };
    statutoryDays: number;
    promisedDays: number;
    onlineDepth: 'fully_online' | 'online_then_visit_once' | 'on_site';
    place: string;
    phone: string;
    supervisionPhone: string;
    keywords: string[];
  };
}

// Deep readable tones (antd's presets fail 4.5:1 contrast).
const DEPTH_STYLE: Record<string, { color: string; background: string; borderColor: string }> = {
  fully_online: { color: '#14532d', background: '#dcfce7', borderColor: '#86efac' },
  online_then_visit_once: { color: '#1e3a8a', background: '#dbeafe', borderColor: '#93c5fd' },
  on_site: { color: '#374151', background: '#f3f4f6', borderColor: '#d1d5db' },
};

export function useSubplatforms() {
  const [rows, setRows] = useState<Subplatform[]>();
  useEffect(() => {
    api<Subplatform[]>('GET', '/services/subplatforms').then(setRows, () => setRows([]));
  }, []);
  return rows;
}

/** The sub-platform tiles (home and the services page). */
export function SubplatformGrid({ subplatforms }: { subplatforms: Subplatform[] | undefined }) {
  const { t } = usePrefs();
  if (!subplatforms) return <Skeleton active />;
  return (
    <Row gutter={[16, 16]}>
      {subplatforms
        .filter((s) => s.items > 0)
        .map((s) => (
          <Col xs={12} sm={8} lg={6} key={s.code}>
            <Link to={`/services?subplatform=${s.code}`} aria-label={s.name}>
              <Card hoverable size="small" style={{ height: '100%' }}>
                <Typography.Text strong style={{ fontSize: '1.1em' }}>
                  {s.name}
                </Typography.Text>
                <br />
                <Typography.Text type="secondary">
                  {s.items} {t('items')}
                </Typography.Text>
              </Card>
            </Link>
          </Col>
        ))}
    </Row>
  );
}

export function ServicesPage() {
  const { t } = usePrefs();
  const [params] = useSearchParams();
  const sub = params.get('subplatform') ?? undefined;
  const q = params.get('q') ?? undefined;
  const subplatforms = useSubplatforms();
  const query = new URLSearchParams();
  if (sub) query.set('subplatform', sub);
  if (q) query.set('q', q);
  const qs = query.toString();
  const { rows: items, error, reload } = useList<ServiceItem>(`/services/items${qs ? `?${qs}` : ''}`);
  const current = subplatforms?.find((s) => s.code === sub);
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title={<h1 style={{ fontSize: '1.25em', margin: 0 }}>{current ? current.name : t('Services')}</h1>}>
        <div style={{ marginBottom: 16 }}>
          <SearchBox key={q ?? ''} initial={q ?? ''} />
        </div>
        {current ? <Typography.Paragraph>{current.description}</Typography.Paragraph> : null}
        <LoadError error={error} onRetry={reload} />
        {items === undefined ? (
          <Skeleton active />
        ) : (
          <List
            dataSource={items}
            renderItem={(i) => (
              <List.Item>
                <List.Item.Meta
                  title={<Link to={`/services/${i.code}`}>{i.guide.name}</Link>}
                  description={
                    <Space wrap>
                      <span>{i.department}</span>
                      <Tag style={DEPTH_STYLE[i.guide.onlineDepth]}>{t(`depth.${i.guide.onlineDepth}`)}</Tag>
                      <span>
                        {t('Promised')} {i.guide.promisedDays} {t('working days')}
                      </span>
                    </Space>
                  }
                />
              </List.Item>
            )}
          />
        )}
      </Card>
      {sub || q ? null : <SubplatformGrid subplatforms={subplatforms} />}
    </Space>
  );
}

export function ServiceGuidePage() {
  const { t } = usePrefs();
  const navigate = useNavigate();
  const { code } = useParams();
  const [item, setItem] = useState<ServiceItem | null>();
  useEffect(() => {
    api<ServiceItem>('GET', `/services/items/${encodeURIComponent(code ?? '')}`).then(setItem, () => setItem(null));
  }, [code]);
  if (item === undefined) return <Skeleton active />;
  if (item === null) return <Alert type="warning" showIcon title={t('This service is not available')} />;
  const g = item.guide;
  const held = g.materials.filter((m) => m.source !== 'upload');
  return (
    <Card title={<h1 style={{ fontSize: '1.25em', margin: 0 }}>{g.name}</h1>}>
      <Space wrap style={{ marginBottom: 16 }}>
        <Tag style={DEPTH_STYLE[g.onlineDepth]}>{t(`depth.${g.onlineDepth}`)}</Tag>
        <span>
          {t('Promised')} <strong>{g.promisedDays}</strong> {t('working days')}（{t('statutory')} {g.statutoryDays}）
        </span>
        <span>{g.fee.free ? t('Free of charge') : g.fee.standard}</span>
      </Space>
      {held.length > 0 ? (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('{n} materials are already held by the government: no need to submit them').replace(
            '{n}',
            String(held.length),
          )}
        />
      ) : null}
      <Button
        type="primary"
        size="large"
        style={{ marginBottom: 16 }}
        onClick={() => navigate(`/services/${item.code}/apply`)}
      >
        {t('Apply online')}
      </Button>
      <Descriptions column={1} bordered size="small">
        <Descriptions.Item label={t('Item code')}>{item.code}</Descriptions.Item>
        <Descriptions.Item label={t('Item type')}>{t(`itemType.${g.type}`)}</Descriptions.Item>
        <Descriptions.Item label={t('Competent department')}>{g.competentDepartment}</Descriptions.Item>
        <Descriptions.Item label={t('Implementing department')}>{item.department}</Descriptions.Item>
        <Descriptions.Item label={t('Basis')}>{g.basis}</Descriptions.Item>
        <Descriptions.Item label={t('Acceptance conditions')}>{g.conditions}</Descriptions.Item>
        <Descriptions.Item label={t('Materials')}>
          <List
            size="small"
            dataSource={g.materials}
            renderItem={(m) => (
              <List.Item>
                <span>{m.name}</span>
                {m.source === 'upload' ? (
                  <Tag>{t('Upload')}</Tag>
                ) : (
                  <Tag style={DEPTH_STYLE.fully_online}>{t('Already held — no need to submit')}</Tag>
                )}
              </List.Item>
            )}
          />
        </Descriptions.Item>
        <Descriptions.Item label={t('Process')}>
          <Steps size="small" direction="vertical" current={-1} items={g.process.map((p) => ({ title: p }))} />
        </Descriptions.Item>
        <Descriptions.Item label={t('Place')}>{g.place}</Descriptions.Item>
        <Descriptions.Item label={t('Enquiries')}>{g.phone}</Descriptions.Item>
        <Descriptions.Item label={t('Supervision')}>{g.supervisionPhone}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
