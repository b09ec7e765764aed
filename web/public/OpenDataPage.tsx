// 数据开放: the open datasets, searched through our CKAN-compatible API (as any CKAN client would), and one dataset
// with its dictionary, a preview, every version's downloads with their SHA-256, API examples and, for a conditional
// dataset, the application form.
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Form,
  Input,
  List,
  Row,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../shared/api.ts';
import { useApiForm } from '../shared/forms.ts';
import { label } from '../shared/i18n.ts';
import { usePrefs } from '../shared/prefs.tsx';
import { AccessTag } from '../shared/tags.tsx';
import { DatasetChart } from './DatasetChart.tsx';
import type { AccountSession } from './session.ts';

interface Pkg {
  id: string;
  name: string;
  title: string;
  notes: string;
  license_title: string;
  organization: { title: string; name: string };
  groups: Array<{ name: string; title: string }>;
  tags: Array<{ name: string }>;
  extras: Array<{ key: string; value: string }>;
  metadata_modified: string;
  resources: Array<{ id: string; format: string }>;
}
interface Facets {
  [field: string]: { items: Array<{ name: string; display_name: string; count: number }> };
}
interface Summary {
  name: string;
  title: string;
  access: 'open' | 'conditional';
  state: 'active' | 'withdrawn';
  version: number;
  versions: Array<{
    version: number;
    rowCount: number;
    sha256: string;
    note: string | null;
    createdAt: string;
    fields: Array<{ name: string; title: string; type: string; unit?: string; description?: string }>;
  }>;
}

/** CKAN's envelope, unwrapped. */
async function ckan<T>(action: string, params: Record<string, string>): Promise<T> {
  const res = await fetch(`/api/3/action/${action}?${new URLSearchParams(params)}`, {
    headers: { accept: 'application/json' },
  });
  const body = (await res.json()) as { success: boolean; result: T; error?: { message?: string } };
  if (!body.success) throw new Error(body.error?.message ?? res.statusText);
  return body.result;
}

const isConditional = (p: Pkg) => p.extras.some((e) => e.key === 'access' && e.value === '有条件开放');

export function OpenDataPage() {
  const { t, date } = usePrefs();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const group = params.get('group') ?? '';
  const [result, setResult] = useState<{ count: number; results: Pkg[]; search_facets: Facets }>();
  const [failed, setFailed] = useState<string>();
  useEffect(() => {
    setResult(undefined);
    ckan<{ count: number; results: Pkg[]; search_facets: Facets }>('package_search', {
      q,
      rows: '50',
      ...(group ? { fq: `groups:${group}` } : {}),
      'facet.field': JSON.stringify(['groups', 'organization']),
    }).then(setResult, (e: Error) => {
      setFailed(e.message);
      setResult({ count: 0, results: [], search_facets: {} });
    });
  }, [q, group]);
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };
  return (
    <Card title={<h1 style={{ fontSize: '1.25em', margin: 0 }}>{t('Open data portal')}</h1>}>
      <Typography.Paragraph>{t('opendata.explain')}</Typography.Paragraph>
      <Input.Search
        aria-label={t('Search datasets')}
        placeholder={t('Search datasets')}
        defaultValue={q}
        allowClear
        onSearch={(v) => set('q', v)}
        style={{ maxWidth: 480, marginBottom: 16 }}
      />
      {failed ? <Alert type="error" showIcon title={t('The list could not be loaded.')} /> : null}
      <Row gutter={24}>
        <Col xs={24} md={6}>
          <Typography.Title level={2} style={{ fontSize: '1em' }}>
            {t('Themes')}
          </Typography.Title>
          <Space direction="vertical">
            {(result?.search_facets.groups?.items ?? []).map((g) => (
              <Button
                key={g.name}
                type={g.name === group ? 'primary' : 'link'}
                size="small"
                onClick={() => set('group', g.name === group ? '' : g.name)}
              >
                {g.display_name} ({g.count})
              </Button>
            ))}
          </Space>
        </Col>
        <Col xs={24} md={18}>
          <List<Pkg>
            loading={result === undefined}
            dataSource={result?.results ?? []}
            locale={{ emptyText: t('No datasets found') }}
            header={result ? `${t('Found')} ${result.count} ${t('datasets')}` : null}
            renderItem={(p) => (
              <List.Item data-testid="dataset-hit">
                <List.Item.Meta
                  title={<Link to={`/opendata/${p.name}`}>{p.title}</Link>}
                  description={
                    <Space wrap>
                      <span>{p.organization.title}</span>
                      <AccessTag access={isConditional(p) ? 'conditional' : 'open'} t={t} />
                      {p.tags.map((tag) => (
                        <Tag key={tag.name}>{tag.name}</Tag>
                      ))}
                      <span>{date(`${p.metadata_modified}Z`)}</span>
                    </Space>
                  }
                />
              </List.Item>
            )}
          />
        </Col>
      </Row>
    </Card>
  );
}

export function DatasetPage({ session }: { session: AccountSession | null | undefined }) {
  const { t, date, lang } = usePrefs();
  const { name = '' } = useParams();
  const [pkg, setPkg] = useState<Pkg | null>();
  const [summary, setSummary] = useState<Summary>();
  const [preview, setPreview] = useState<Array<Record<string, unknown>>>();
  const [usage, setUsage] = useState<{ totals: { views: number; downloads: number; apiCalls: number } }>();
  const chartRows = useCallback(
    async (fields: string[]) =>
      (
        await ckan<{ records: Array<Record<string, unknown>> }>('datastore_search', {
          resource_id: pkg?.resources[0]?.id ?? '',
          fields: fields.join(','),
          limit: '50',
        })
      ).records,
    [pkg],
  );
  const [diff, setDiff] = useState<{
    added: number;
    removed: number;
    changed: number;
    fieldsAdded: string[];
    fieldsRemoved: string[];
  }>();
  useEffect(() => {
    if (summary && summary.version > 1) {
      api<typeof diff>(
        'GET',
        `/opendata/datasets/${summary.name}/diff?from=${summary.version - 1}&to=${summary.version}`,
      ).then(setDiff, () => setDiff(undefined));
    }
  }, [summary]);
  useEffect(() => {
    ckan<Pkg>('package_show', { id: name }).then(setPkg, () => setPkg(null));
    api<Summary>('GET', `/opendata/datasets/${name}`).then(setSummary, () => undefined);
    api<NonNullable<typeof usage>>('GET', `/opendata/datasets/${name}/usage`).then(setUsage, () => undefined);
  }, [name]);
  useEffect(() => {
    if (pkg && !isConditional(pkg) && pkg.resources[0]) {
      ckan<{ records: Array<Record<string, unknown>> }>('datastore_search', {
        resource_id: pkg.resources[0].id,
        limit: '10',
      }).then(
        (r) => setPreview(r.records),
        () => setPreview([]),
      );
    }
  }, [pkg]);
  if (pkg === undefined) return <Card loading />;
  if (pkg === null) return <Card>{t('Page not found')}</Card>;
  const current = summary?.versions.find((v) => v.version === summary.version);
  const origin = window.location.origin;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title={<h1 style={{ fontSize: '1.25em', margin: 0 }}>{pkg.title}</h1>}>
        <Typography.Paragraph>{pkg.notes}</Typography.Paragraph>
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label={t('Publisher')}>{pkg.organization.title}</Descriptions.Item>
          <Descriptions.Item label={t('Theme')}>{pkg.groups.map((g) => g.title).join('、')}</Descriptions.Item>
          <Descriptions.Item label={t('Licence')}>{pkg.license_title}</Descriptions.Item>
          <Descriptions.Item label={t('Opening')}>
            <AccessTag access={isConditional(pkg) ? 'conditional' : 'open'} t={t} />
          </Descriptions.Item>
          {usage ? (
            <Descriptions.Item label={t('Use')}>
              <span data-testid="dataset-usage">
                {t('Views')} {usage.totals.views} · {t('Downloads')} {usage.totals.downloads} · {t('API calls')}{' '}
                {usage.totals.apiCalls}
              </span>
            </Descriptions.Item>
          ) : null}
        </Descriptions>
      </Card>
      {current ? (
        <Card title={t('Data dictionary')}>
          <Table
            size="small"
            rowKey="name"
            pagination={false}
            dataSource={current.fields}
            columns={[
              { title: t('Data item'), dataIndex: 'title' },
              { title: t('Field code'), dataIndex: 'name' },
              {
                title: t('Type'),
                dataIndex: 'type',
                render: (v: string) => label(lang, 'fieldType', v === 'number' ? 'decimal' : v),
              },
              { title: t('Unit'), dataIndex: 'unit' },
              { title: t('Description'), dataIndex: 'description' },
            ]}
          />
        </Card>
      ) : null}
      {preview && current ? (
        <Card title={t('Preview (first 10 rows)')}>
          <Table
            size="small"
            rowKey="_id"
            pagination={false}
            scroll={{ x: true }}
            dataSource={preview}
            columns={current.fields.map((f) => ({
              title: f.title,
              dataIndex: f.name,
              render: (v: unknown) => (v === null || v === undefined ? '' : String(v)),
            }))}
          />
        </Card>
      ) : null}
      {current && !isConditional(pkg) ? <DatasetChart fields={current.fields} load={chartRows} /> : null}
      {summary ? (
        <Card title={t('Versions and downloads')}>
          {diff ? (
            <Typography.Paragraph data-testid="version-diff">
              {t('Since the previous version')}: {t('rows added')} {diff.added} · {t('rows removed')} {diff.removed} ·{' '}
              {t('rows changed')} {diff.changed}
              {diff.fieldsAdded.length ? ` · ${t('fields added')} ${diff.fieldsAdded.join('、')}` : ''}
              {diff.fieldsRemoved.length ? ` · ${t('fields removed')} ${diff.fieldsRemoved.join('、')}` : ''}
            </Typography.Paragraph>
          ) : null}
          <Table
            size="small"
            rowKey="version"
            pagination={false}
            dataSource={[...summary.versions].reverse()}
            columns={[
              { title: t('Version'), dataIndex: 'version' },
              { title: t('Released'), dataIndex: 'createdAt', render: (d: string) => date(d) },
              { title: t('Rows'), dataIndex: 'rowCount' },
              {
                title: 'SHA-256',
                dataIndex: 'sha256',
                render: (h: string) => (
                  <Typography.Text code copyable>
                    {h.slice(0, 16)}…
                  </Typography.Text>
                ),
              },
              {
                title: t('Download'),
                render: (_: unknown, v: Summary['versions'][number]) =>
                  isConditional(pkg) ? (
                    t('With an approved key')
                  ) : (
                    <Space>
                      <a href={`/api/v1/opendata/datasets/${summary.name}/versions/${v.version}/data.csv`} download>
                        CSV
                      </a>
                      <a href={`/api/v1/opendata/datasets/${summary.name}/versions/${v.version}/data.json`} download>
                        JSON
                      </a>
                      <a href={`/api/v1/opendata/datasets/${summary.name}/versions/${v.version}/data.xlsx`} download>
                        XLSX
                      </a>
                      <a href={`/api/v1/opendata/datasets/${summary.name}/versions/${v.version}/data.parquet`} download>
                        Parquet
                      </a>
                    </Space>
                  ),
              },
            ]}
          />
        </Card>
      ) : null}
      <Card title={t('Use the API')}>
        <Typography.Paragraph>{t('opendata.api.explain')}</Typography.Paragraph>
        <pre style={{ whiteSpace: 'pre-wrap' }}>
          {`curl '${origin}/api/3/action/package_show?id=${pkg.name}'\ncurl '${origin}/api/3/action/datastore_search?resource_id=${pkg.resources[0]?.id ?? ''}&limit=5'${isConditional(pkg) ? " \\\n  -H 'Authorization: <API key>'" : ''}`}
        </pre>
      </Card>
      {isConditional(pkg) ? <ApplyCard dataset={pkg.name} session={session} /> : null}
    </Space>
  );
}

function ApplyCard({ dataset, session }: { dataset: string; session: AccountSession | null | undefined }) {
  const { t } = usePrefs();
  const { form, run } = useApiForm();
  const [done, setDone] = useState<string>();
  const [message, setMessage] = useState<string>();
  if (!session) {
    return (
      <Card title={t('Apply for this dataset')}>
        <Link to={`/login?next=/opendata/${dataset}`}>{t('Log in to apply')}</Link>
      </Card>
    );
  }
  const submit = async (values: { purpose: string; scenario: string; commitments: boolean; agreement: boolean }) => {
    setMessage(undefined);
    await run(
      async () => {
        const r = await api<{ dueAt: string }>('POST', '/opendata/applications', {
          dataset,
          ...values,
          commitments: !!values.commitments,
          agreement: !!values.agreement,
        });
        setDone(r.dueAt);
      },
      (text) => setMessage(text),
    );
  };
  return (
    <Card title={t('Apply for this dataset')}>
      {done ? (
        <Alert
          type="success"
          showIcon
          title={t('Application filed; the department answers within its working days.')}
        />
      ) : (
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          {message ? <Alert type="error" showIcon title={message} style={{ marginBottom: 12 }} /> : null}
          <Form.Item label={t('Purpose')} name="purpose" rules={[{ required: true, min: 2, message: t('Required') }]}>
            <Input maxLength={500} />
          </Form.Item>
          <Form.Item label={t('Scenario')} name="scenario" rules={[{ required: true, min: 2, message: t('Required') }]}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
          <Form.Item name="commitments" valuePropName="checked">
            <Checkbox>{t('I sign the data-security commitments (安全承诺书)')}</Checkbox>
          </Form.Item>
          <Form.Item name="agreement" valuePropName="checked">
            <Checkbox>{t('I accept the use agreement (开放利用协议)')}</Checkbox>
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('Submit application')}
          </Button>
        </Form>
      )}
    </Card>
  );
}
