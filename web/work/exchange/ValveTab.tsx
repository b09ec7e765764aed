// 安全阀: the Cedar policy in force (platform admins edit; every version is kept and ledgered) and the test console
// that answers "would this request pass, and why?" for each field.
import { Alert, Button, Card, Col, Form, Input, Row, Select, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../shared/api.ts';
import type { CatalogRegister } from '../../shared/catalog.ts';
import { useApiForm } from '../../shared/forms.ts';
import { label } from '../../shared/i18n.ts';
import { usePrefs } from '../../shared/prefs.tsx';
import { useDepartments } from '../data.ts';
import { ToneTag } from '../StatusTag.tsx';
import { isPlatformAdmin, useStaff } from '../session.ts';
import type { Decision, FieldDecision } from './types.ts';

interface PolicyView {
  version: number;
  policy: string;
  comment: string | null;
  createdBy: string;
  createdAt: string | null;
  schema: string;
  versions: Array<{ version: number; comment: string | null; createdBy: string; createdAt: string }>;
}

export function ValveTab() {
  const { t, date } = usePrefs();
  const session = useStaff();
  const admin = isPlatformAdmin(session);
  const [view, setView] = useState<PolicyView>();
  const [draft, setDraft] = useState('');
  const [comment, setComment] = useState('');
  const [problems, setProblems] = useState<Array<{ policy: string | null; message: string }>>();
  const [saved, setSaved] = useState<string>();
  useEffect(() => {
    api<PolicyView>('GET', '/exchange/policy').then((v) => {
      setView(v);
      setDraft(v.policy);
    });
  }, []);
  const check = async () => {
    const r = await api<{ valid: boolean; problems: Array<{ policy: string | null; message: string }> }>(
      'POST',
      '/exchange/policy/validate',
      { policy: draft },
    );
    setProblems(r.problems);
    return r.valid;
  };
  const save = async () => {
    setSaved(undefined);
    if (!(await check()) || !view) return;
    try {
      const v = await api<PolicyView>('PUT', '/exchange/policy', {
        policy: draft,
        expectedVersion: view.version,
        ...(comment ? { comment } : {}),
      });
      setView(v);
      setComment('');
      setSaved(t('Saved as version {n}').replace('{n}', String(v.version)));
    } catch (e) {
      setProblems([{ policy: null, message: (e as Error).message }]);
    }
  };
  if (!view) return null;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={14}>
        <Card
          size="small"
          title={`${t('Policy')} · ${view.version === 0 ? t('shipped default') : `v${view.version}`}`}
          extra={view.createdAt ? `${view.createdBy} · ${date(view.createdAt)}` : null}
        >
          <Input.TextArea
            aria-label={t('Policy')}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            readOnly={!admin}
            autoSize={{ minRows: 16, maxRows: 40 }}
            style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 13 }}
            spellCheck={false}
          />
          {problems && problems.length > 0 ? (
            <Alert
              type="error"
              showIcon
              style={{ marginTop: 8 }}
              title={t('The policy does not validate')}
              description={
                <ul style={{ margin: 0 }}>
                  {problems.map((p) => (
                    <li key={`${p.policy}-${p.message}`}>
                      {p.policy ? <Typography.Text code>{p.policy}</Typography.Text> : null} {p.message}
                    </li>
                  ))}
                </ul>
              }
            />
          ) : problems ? (
            <Alert
              type="success"
              showIcon
              style={{ marginTop: 8 }}
              title={t('The policy validates against the schema')}
            />
          ) : null}
          {saved ? <Alert type="success" showIcon style={{ marginTop: 8 }} title={saved} /> : null}
          <Space wrap style={{ marginTop: 8 }}>
            <Button onClick={check}>{t('Validate')}</Button>
            {admin ? (
              <>
                <Input
                  aria-label={t('Comment')}
                  placeholder={t('Comment')}
                  value={comment}
                  onChange={(e) => setComment(e.target.value)}
                  style={{ width: 240 }}
                />
                <Button type="primary" onClick={save} disabled={draft === view.policy}>
                  {t('Save new version')}
                </Button>
              </>
            ) : null}
          </Space>
          <details style={{ marginTop: 12 }}>
            <summary>{t('Schema')}</summary>
            <pre style={{ whiteSpace: 'pre-wrap', fontSize: 12 }}>{view.schema}</pre>
          </details>
          {view.versions.length > 0 ? (
            <details style={{ marginTop: 8 }}>
              <summary>{t('Versions')}</summary>
              <ul>
                {view.versions.map((v) => (
                  <li key={v.version}>
                    v{v.version} · {date(v.createdAt)} · {v.createdBy} {v.comment ? `· ${v.comment}` : ''}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </Card>
      </Col>
      <Col xs={24} xl={10}>
        <TestConsole draft={draft !== view.policy ? draft : undefined} />
      </Col>
    </Row>
  );
}

const OUTCOME_TONE = { clear: 'info', masked: 'warn', denied: 'bad' } as const;

function TestConsole({ draft }: { draft: string | undefined }) {
  const { t } = usePrefs();
  const { form, run } = useApiForm();
  const [registers, setRegisters] = useState<CatalogRegister[]>([]);
  const { rows: departments } = useDepartments();
  const [result, setResult] = useState<{ policyVersion: number; grantId: number | null; fields: FieldDecision[] }>();
  useEffect(() => {
    api<CatalogRegister[]>('GET', '/catalog/registers').then(setRegisters, () => setRegisters([]));
  }, []);
  const submit = async () => {
    const values = await form.validateFields();
    await run(async () => {
      setResult(await api('POST', '/exchange/policy/test', { ...values, ...(draft ? { policy: draft } : {}) }));
    });
  };
  const { lang } = usePrefs();
  const named = (id: string) => (label(lang, 'policy', id) !== id ? `${label(lang, 'policy', id)}（${id}）` : id);
  const why = (d: Decision) => (d.policies.length ? d.policies.map(named).join('；') : t('no policy permits it'));
  return (
    <Card size="small" title={t('Would this request pass?')}>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          label={t('Calling department')}
          name="departmentId"
          rules={[{ required: true, message: t('Required') }]}
        >
          <Select
            showSearch
            optionFilterProp="label"
            options={(departments ?? []).map((d) => ({ value: d.id, label: d.shortName ?? d.name }))}
          />
        </Form.Item>
        <Form.Item label={t('Resource')} name="registerCode" rules={[{ required: true, message: t('Required') }]}>
          <Select
            showSearch
            optionFilterProp="label"
            options={registers.map((r) => ({ value: r.code, label: `${r.metadata.name} (${r.code})` }))}
          />
        </Form.Item>
        <Form.Item label={t('Purpose')} name="purpose" rules={[{ required: true, min: 2, message: t('Required') }]}>
          <Input />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {draft ? t('Test the draft') : t('Test')}
        </Button>
      </Form>
      {result ? (
        <Table<FieldDecision>
          style={{ marginTop: 12 }}
          size="small"
          rowKey="code"
          pagination={false}
          dataSource={result.fields}
          title={() => (result.grantId ? `${t('Grant')} #${result.grantId}` : t('No grant: every field is refused'))}
          columns={[
            { title: t('Field'), render: (_: unknown, f) => `${f.name} (${f.code})` },
            {
              title: t('Outcome'),
              render: (_: unknown, f) => <ToneTag tone={OUTCOME_TONE[f.outcome]}>{t(`outcome.${f.outcome}`)}</ToneTag>,
            },
            {
              title: t('Why'),
              render: (_: unknown, f) =>
                f.outcome === 'denied'
                  ? why(f.readMasked)
                  : f.outcome === 'masked'
                    ? `${t('Masked by its personal-data type')}: ${f.pii}`
                    : why(f.readClear),
            },
          ]}
        />
      ) : null}
    </Card>
  );
}
