// 数据目录: the public catalog of government data resources (metadata only), by department, base library and sharing.
import { Card, Col, Descriptions, List, Row, Select, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../shared/api.ts';
import type { CatalogRegister } from '../shared/catalog.ts';
import { type LabelKind, label, labelOptions } from '../shared/i18n.ts';
import { usePrefs } from '../shared/prefs.tsx';

interface Department {
  id: number;
  name: string;
}

const SHARING_COLORS: Record<string, string> = { unconditional: '#14532d', conditional: '#7c2d12', none: '#374151' };

export function CatalogPage() {
  const { t, lang } = usePrefs();
  const [params, setParams] = useSearchParams();
  const [registers, setRegisters] = useState<CatalogRegister[]>();
  const [departments, setDepartments] = useState<Department[]>([]);
  const query = params.toString();
  useEffect(() => {
    setRegisters(undefined);
    api<CatalogRegister[]>('GET', `/catalog/registers${query ? `?${query}` : ''}`).then(setRegisters, () =>
      setRegisters([]),
    );
  }, [query]);
  useEffect(() => {
    api<Department[]>('GET', '/org/departments').then(setDepartments, () => {});
  }, []);
  const setFilter = (key: string, value: string | number | undefined) => {
    const next = new URLSearchParams(params);
    if (value === undefined || value === '') next.delete(key);
    else next.set(key, String(value));
    setParams(next);
  };
  const options = (kind: LabelKind) => labelOptions(lang, kind);
  return (
    <Card title={<h1 style={{ fontSize: '1.25em', margin: 0 }}>{t('Data catalog')}</h1>}>
      <Typography.Paragraph>{t('catalog.explain')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          aria-label={t('Department')}
          placeholder={t('Department')}
          style={{ minWidth: 220 }}
          value={params.get('department') ? Number(params.get('department')) : undefined}
          onChange={(v) => setFilter('department', v)}
          options={departments.map((d) => ({ value: d.id, label: d.name }))}
          showSearch
          optionFilterProp="label"
        />
        <Select
          allowClear
          aria-label={t('Resource attribute')}
          placeholder={t('Resource attribute')}
          style={{ minWidth: 160 }}
          value={params.get('attribute') ?? undefined}
          onChange={(v) => setFilter('attribute', v)}
          options={options('attribute')}
        />
        <Select
          allowClear
          aria-label={t('Base library')}
          placeholder={t('Base library')}
          style={{ minWidth: 180 }}
          value={params.get('baseLibrary') ?? undefined}
          onChange={(v) => setFilter('baseLibrary', v)}
          options={options('baseLibrary')}
        />
        <Select
          allowClear
          aria-label={t('Sharing')}
          placeholder={t('Sharing')}
          style={{ minWidth: 160 }}
          value={params.get('sharingType') ?? undefined}
          onChange={(v) => setFilter('sharingType', v)}
          options={options('sharing')}
        />
      </Space>
      {registers === undefined ? (
        <Skeleton active />
      ) : (
        <List
          dataSource={registers}
          locale={{ emptyText: t('No resources match') }}
          renderItem={(r) => (
            <List.Item>
              <List.Item.Meta
                title={
                  <Link to={`/catalog/${r.code}`} data-testid="catalog-entry">
                    {r.metadata.name}
                  </Link>
                }
                description={
                  <Space wrap size={[8, 4]}>
                    <Typography.Text type="secondary">{r.provider.name}</Typography.Text>
                    <Typography.Text code>{r.code}</Typography.Text>
                    <Tag style={{ color: SHARING_COLORS[r.metadata.sharing.type] }}>
                      {label(lang, 'sharing', r.metadata.sharing.type)}
                    </Tag>
                    <Tag>{label(lang, 'open', r.metadata.open.type)}</Tag>
                    {r.metadata.baseLibrary ? <Tag>{label(lang, 'baseLibrary', r.metadata.baseLibrary)}</Tag> : null}
                  </Space>
                }
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

export function CatalogEntryPage() {
  const { t, lang, date } = usePrefs();
  const { code } = useParams();
  const [register, setRegister] = useState<CatalogRegister | null>();
  useEffect(() => {
    api<CatalogRegister>('GET', `/catalog/registers/${encodeURIComponent(code ?? '')}`).then(setRegister, () =>
      setRegister(null),
    );
  }, [code]);
  const m = register?.metadata;
  const fieldColumns = useMemo(
    () => [
      { title: t('Data item'), dataIndex: 'name' },
      { title: t('Type'), dataIndex: 'type', render: (v: string) => label(lang, 'fieldType', v) },
      { title: t('Grade'), dataIndex: 'grade', render: (v: string) => label(lang, 'grade', v) },
      { title: t('Required'), dataIndex: 'required', render: (v?: boolean) => (v ? t('Yes') : '') },
    ],
    [t, lang],
  );
  if (register === undefined) return <Skeleton active />;
  if (register === null || !m) return <Card>{t('Page not found')}</Card>;
  return (
    <Card
      title={<h1 style={{ fontSize: '1.25em', margin: 0 }}>{m.name}</h1>}
      extra={<Link to="/catalog">{t('Data catalog')}</Link>}
    >
      <Row gutter={[24, 24]}>
        <Col xs={24} lg={12}>
          <Descriptions column={1} bordered size="small" styles={{ label: { width: 120, whiteSpace: 'nowrap' } }}>
            <Descriptions.Item label={t('Resource code')}>{register.code}</Descriptions.Item>
            <Descriptions.Item label={t('Provider')}>{register.provider.name}</Descriptions.Item>
            <Descriptions.Item label={t('Resource attribute')}>
              {label(lang, 'attribute', m.attribute)}
            </Descriptions.Item>
            {m.baseLibrary ? (
              <Descriptions.Item label={t('Base library')}>
                {label(lang, 'baseLibrary', m.baseLibrary)}
              </Descriptions.Item>
            ) : null}
            <Descriptions.Item label={t('Abstract')}>{m.abstract}</Descriptions.Item>
            <Descriptions.Item label={t('Sharing')}>
              {label(lang, 'sharing', m.sharing.type)}
              {m.sharing.conditions ? `：${m.sharing.conditions}` : ''}
            </Descriptions.Item>
            {m.sharing.basis ? <Descriptions.Item label={t('Basis')}>{m.sharing.basis}</Descriptions.Item> : null}
            <Descriptions.Item label={t('Open data')}>{label(lang, 'open', m.open.type)}</Descriptions.Item>
            <Descriptions.Item label={t('Update cycle')}>{label(lang, 'updateCycle', m.updateCycle)}</Descriptions.Item>
            <Descriptions.Item label={t('Format')}>{label(lang, 'format', m.format)}</Descriptions.Item>
            <Descriptions.Item label={t('Published')}>{m.publishedOn}</Descriptions.Item>
            <Descriptions.Item label={t('Last changed')}>{date(register.updatedAt)}</Descriptions.Item>
          </Descriptions>
        </Col>
        <Col xs={24} lg={12}>
          <Typography.Title level={2} style={{ fontSize: '1.1em' }}>
            {t('Data items')}
          </Typography.Title>
          <Table rowKey="code" size="small" pagination={false} dataSource={m.fields} columns={fieldColumns} />
        </Col>
      </Row>
    </Card>
  );
}
