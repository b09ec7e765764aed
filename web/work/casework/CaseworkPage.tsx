// 办件: the caseworker's inbox by department and step with deadline lights (电子监察: yellow at 80% of the promised
// time, red when overdue), and one application with its timeline and the actions its current step allows.
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Input,
  List,
  Modal,
  Select,
  Space,
  Table,
  Timeline,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, api } from '../../shared/api.ts';
import { LoadError, useList } from '../../shared/load.tsx';
import { usePrefs } from '../../shared/prefs.tsx';
import { departmentName, useDepartments } from '../data.ts';
import { heading } from '../registry/shared.tsx';
import { type Tone, ToneTag } from '../StatusTag.tsx';

interface InboxRow {
  id: number;
  number: string;
  item: { code: string; name: string };
  status: string;
  step: string;
  stepName: string;
  departmentId: number;
  applicant: { name: string; identifierMasked: string };
  submittedAt: string;
  dueAt: string;
  light: 'green' | 'yellow' | 'red' | 'paused' | 'done';
  parallel: boolean;
}

const LIGHT: Record<InboxRow['light'], Tone> = {
  green: 'ok',
  yellow: 'warn',
  red: 'bad',
  paused: 'info',
  done: 'neutral',
};

export function LightTag({ light }: { light: InboxRow['light'] }) {
  const { t } = usePrefs();
  return <ToneTag tone={LIGHT[light]}>{t(`light.${light}`)}</ToneTag>;
}

export function InboxPage() {
  const { t, date } = usePrefs();
  const { rows: departments } = useDepartments();
  const [step, setStep] = useState<string>();
  const { rows, error, reload } = useList<InboxRow>(`/casework/inbox${step ? `?step=${step}` : ''}`);
  // The filter offers the steps the inbox has shown (each item names its own), so it works for any workflow.
  const [steps, setSteps] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    if (!rows?.some((r) => !steps.has(r.step))) return;
    setSteps(new Map([...steps, ...rows.map((r) => [r.step, r.stepName] as const)]));
  }, [rows, steps]);
  return (
    <Card
      title={heading(t('Applications to handle'))}
      extra={
        <Select
          allowClear
          aria-label={t('Current step')}
          placeholder={t('All steps')}
          style={{ minWidth: 140 }}
          value={step}
          onChange={setStep}
          options={[...steps].map(([value, label]) => ({ value, label }))}
        />
      }
    >
      <LoadError error={error} onRetry={reload} />
      <Table<InboxRow>
        rowKey={(r) => `${r.id}-${r.departmentId}`}
        loading={rows === undefined}
        dataSource={rows ?? []}
        scroll={{ x: true }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('Nothing waiting') }}
        columns={[
          { title: t('Deadline'), render: (_: unknown, r) => <LightTag light={r.light} /> },
          {
            title: t('Application number'),
            dataIndex: 'number',
            render: (n: string) => <Link to={`/casework/${n}`}>{n}</Link>,
          },
          { title: t('Service'), render: (_: unknown, r) => r.item.name },
          {
            title: t('Applicant'),
            render: (_: unknown, r) => `${r.applicant.name}（${r.applicant.identifierMasked}）`,
          },
          {
            title: t('Current step'),
            render: (_: unknown, r) => `${r.stepName}${r.parallel ? ` · ${t('parallel')}` : ''}`,
          },
          {
            title: t('Department'),
            dataIndex: 'departmentId',
            render: (id: number) => departmentName(departments, id),
          },
          { title: t('Answer due'), dataIndex: 'dueAt', render: (d: string) => date(d) },
        ]}
      />
    </Card>
  );
}

interface CaseView {
  id: number;
  number: string;
  status: string;
  step: string | null;
  version: number;
  departmentId: number;
  light: InboxRow['light'];
  dueAt: string | null;
  applicant: { kind: string; name: string; identifierMasked: string };
  formData: Record<string, unknown>;
  materials: Array<{
    name: string;
    source: string;
    sha256?: string;
    register?: string;
    fetched?: { recordId?: number; missing?: boolean };
  }>;
  correction: { missing: string[]; note: string } | null;
  result: Record<string, unknown> | null;
  item: {
    code: string;
    name: string;
    steps: Array<{ key: string; name: string; canCorrect?: boolean; parallel?: number[] }>;
  };
  events: Array<{
    step: string | null;
    action: string;
    actor: string;
    note: string | null;
    receiptId: string;
    at: string;
    departmentId: number | null;
  }>;
  tasks: Array<{ step: string; departmentId: number; status: string; note: string | null }>;
}

export function CasePage() {
  const { t, date, error } = usePrefs();
  const { number = '' } = useParams();
  const navigate = useNavigate();
  const { rows: departments } = useDepartments();
  const [c, setC] = useState<CaseView | null>();
  const [dialog, setDialog] = useState<'reject' | 'correct' | 'transfer'>();
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState('');
  const [to, setTo] = useState<number>();
  const [message, setMessage] = useState<string>();
  const load = () => api<CaseView>('GET', `/casework/applications/${number}`).then(setC, () => setC(null));
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the number changes
  useEffect(() => {
    void load();
  }, [number]);
  if (c === undefined) return null;
  if (c === null) return <Alert type="warning" showIcon title={t('Application not found')} />;
  const steps = c.item.steps;
  const index = steps.findIndex((s) => s.key === c.step);
  const step = steps[index];
  const last = index === steps.length - 1;
  const open = ['submitted', 'in_progress'].includes(c.status);
  const act = async (action: string, extra: Record<string, unknown> = {}) => {
    setMessage(undefined);
    try {
      await api('POST', `/casework/applications/${number}/act`, { action, expectedVersion: c.version, ...extra });
      setDialog(undefined);
      setNote('');
      setMissing('');
      await load();
    } catch (e) {
      setMessage(e instanceof ApiError ? error(e.code, e.message) : t('Something went wrong. Please try again.'));
    }
  };
  const stepName = (key: string | null) => steps.find((s) => s.key === key)?.name ?? key ?? '';
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title={heading(`${c.item.name} · ${c.number}`)}
        extra={
          <Space>
            <LightTag light={c.light} />
            <Button onClick={() => navigate('/casework')}>{t('Back to the inbox')}</Button>
          </Space>
        }
      >
        <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered>
          <Descriptions.Item
            label={t('Applicant')}
          >{`${c.applicant.name}（${c.applicant.identifierMasked}）`}</Descriptions.Item>
          <Descriptions.Item label={t('Status')}>{t(`app.${c.status}`)}</Descriptions.Item>
          <Descriptions.Item label={t('Current step')}>{step?.name ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('Answer due')}>{c.dueAt ? date(c.dueAt) : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('Department')}>{departmentName(departments, c.departmentId)}</Descriptions.Item>
          <Descriptions.Item label={t('Application form')}>
            <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{JSON.stringify(c.formData, null, 1)}</pre>
          </Descriptions.Item>
        </Descriptions>
        <Typography.Title level={2} style={{ fontSize: '1.05em', marginTop: 16 }}>
          {t('Materials')}
        </Typography.Title>
        <List
          size="small"
          dataSource={c.materials}
          renderItem={(m) => (
            <List.Item>
              <span>{m.name}</span>
              {m.source === 'upload' ? (
                <ToneTag tone={m.sha256 ? 'info' : 'bad'}>
                  {m.sha256 ? `${t('Uploaded')} ${m.sha256.slice(0, 12)}…` : t('Missing')}
                </ToneTag>
              ) : m.fetched && 'recordId' in m.fetched ? (
                <ToneTag tone="ok">{`${t('Fetched from register')} ${m.register} #${m.fetched.recordId}`}</ToneTag>
              ) : m.fetched ? (
                <ToneTag tone="bad">{t('Not found in the register')}</ToneTag>
              ) : (
                <ToneTag tone="neutral">{t('Fetched at acceptance')}</ToneTag>
              )}
            </List.Item>
          )}
        />
        {c.tasks.length > 0 ? (
          <>
            <Typography.Title level={2} style={{ fontSize: '1.05em', marginTop: 16 }}>
              {t('Parallel approval')}
            </Typography.Title>
            <List
              size="small"
              dataSource={c.tasks}
              renderItem={(task) => (
                <List.Item>
                  <span>
                    {stepName(task.step)} · {departmentName(departments, task.departmentId)}
                  </span>
                  <ToneTag tone={task.status === 'approved' ? 'ok' : task.status === 'rejected' ? 'bad' : 'warn'}>
                    {t(`task.${task.status}`)}
                  </ToneTag>
                </List.Item>
              )}
            />
          </>
        ) : null}
        {message ? <Alert type="error" showIcon title={message} style={{ marginTop: 16 }} /> : null}
        {open && step ? (
          <Space wrap style={{ marginTop: 16 }}>
            {index === 0 && c.status === 'submitted' ? (
              <Button type="primary" onClick={() => act('accept')}>
                {t('Accept')}
              </Button>
            ) : null}
            {index > 0 && !last ? (
              <Button type="primary" onClick={() => act('approve')}>
                {t('Approve')}
              </Button>
            ) : null}
            {last ? (
              <Button type="primary" onClick={() => act('conclude')}>
                {t('Conclude')}
              </Button>
            ) : null}
            {step.canCorrect ? <Button onClick={() => setDialog('correct')}>{t('Request correction')}</Button> : null}
            {!last ? <Button onClick={() => setDialog('transfer')}>{t('Transfer')}</Button> : null}
            {!last ? (
              <Button danger onClick={() => setDialog('reject')}>
                {t('Reject')}
              </Button>
            ) : null}
          </Space>
        ) : null}
      </Card>
      <Card title={<h2 style={{ fontSize: '1.1em', margin: 0 }}>{t('Progress')}</h2>}>
        <Timeline
          items={c.events.map((e) => ({
            children: (
              <Space direction="vertical" size={0}>
                <Typography.Text strong>
                  {t(`event.${e.action}`)} {e.step ? `· ${stepName(e.step)}` : ''}
                </Typography.Text>
                <Typography.Text type="secondary">
                  {date(e.at)} · {e.departmentId ? departmentName(departments, e.departmentId) : t('Applicant')}
                </Typography.Text>
                {e.note ? <span>{e.note}</span> : null}
                <Typography.Text type="secondary" copyable={{ text: e.receiptId }}>
                  {t('Receipt')} {e.receiptId}
                </Typography.Text>
              </Space>
            ),
          }))}
        />
      </Card>
      <Modal
        open={dialog !== undefined}
        title={dialog === 'correct' ? t('Request correction') : dialog === 'transfer' ? t('Transfer') : t('Reject')}
        okText={t('Confirm')}
        cancelText={t('Cancel')}
        onCancel={() => setDialog(undefined)}
        onOk={() =>
          act(dialog ?? 'reject', {
            ...(note ? { note } : {}),
            ...(dialog === 'correct'
              ? {
                  missing: missing
                    .split('\n')
                    .map((s) => s.trim())
                    .filter(Boolean),
                }
              : {}),
            ...(dialog === 'transfer' ? { toDepartmentId: to } : {}),
          })
        }
      >
        {dialog === 'correct' ? (
          <Input.TextArea
            aria-label={t('Everything that is missing, one per line')}
            placeholder={t('Everything that is missing, one per line')}
            rows={4}
            value={missing}
            onChange={(e) => setMissing(e.target.value)}
            style={{ marginBottom: 8 }}
          />
        ) : null}
        {dialog === 'transfer' ? (
          <Select
            aria-label={t('Department')}
            style={{ width: '100%', marginBottom: 8 }}
            value={to}
            onChange={setTo}
            options={(departments ?? []).map((d) => ({ value: d.id, label: d.name }))}
          />
        ) : null}
        <Input.TextArea
          aria-label={t('Reason')}
          placeholder={t('Reason')}
          rows={2}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </Modal>
    </Space>
  );
}
