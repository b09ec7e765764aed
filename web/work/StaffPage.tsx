import { App, Button, Card, Form, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
// Role names come from the server's org policy, a pure module with no imports: one list for both sides.
import { ROLES } from '../../src/modules/org/org.policy.ts';
import { api } from '../shared/api.ts';
import { useConfirmAction } from '../shared/forms.ts';
import { LoadError, useList } from '../shared/load.tsx';
import { usePrefs } from '../shared/prefs.tsx';
import { departmentName, manageableOptions, useDepartments } from './data.ts';
import { FormDialog } from './FormDialog.tsx';
import { StatusTag } from './StatusTag.tsx';
import { canManage, isPlatformAdmin, managedDepartments, useStaff } from './session.ts';

interface Member {
  id: number;
  username: string;
  displayName: string;
  departmentId: number;
  active: boolean;
  roles: Array<{ role: string; departmentId: number }>;
}

export function StaffPage() {
  const { t, role } = usePrefs();
  const confirm = useConfirmAction();
  const session = useStaff();
  const { rows: departments } = useDepartments();
  const [department, setDepartment] = useState<number | undefined>();
  const { rows, error, reload } = useList<Member>(
    `/org/staff?includeInactive=true${department ? `&department=${department}` : ''}`,
  );
  const [creating, setCreating] = useState(false);
  const manageable = manageableOptions(departments, session);
  const deactivate = (m: Member) =>
    confirm({
      title: t('Deactivate this staff member? They can no longer log in.'),
      content: `${m.displayName} (${m.username})`,
      okText: t('Deactivate'),
      action: async () => {
        await api('PATCH', `/org/staff/${m.id}`, { active: false });
        reload();
      },
    });
  return (
    <Card
      title={<h1 style={{ fontSize: '1.25em', margin: 0 }}>{t('Staff')}</h1>}
      extra={
        <Space wrap>
          <Select
            allowClear
            placeholder={t('Department')}
            aria-label={t('Department')}
            style={{ minWidth: 220 }}
            value={department}
            onChange={setDepartment}
            options={(departments ?? []).map((d) => ({ value: d.id, label: d.shortName ?? d.name }))}
            showSearch
            optionFilterProp="label"
          />
          {manageable.length > 0 ? (
            <Button type="primary" onClick={() => setCreating(true)}>
              {t('New staff member')}
            </Button>
          ) : null}
        </Space>
      }
    >
      <LoadError error={error} onRetry={reload} />
      <Table<Member>
        rowKey="id"
        loading={rows === undefined}
        dataSource={rows ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: true }}
        columns={[
          { title: t('Name'), dataIndex: 'displayName' },
          { title: t('Username'), dataIndex: 'username' },
          {
            title: t('Department'),
            dataIndex: 'departmentId',
            render: (id: number) => departmentName(departments, id),
          },
          {
            title: t('Roles'),
            dataIndex: 'roles',
            render: (rs: Member['roles']) =>
              rs.map((r) => <Tag key={`${r.role}${r.departmentId}`}>{role(r.role)}</Tag>),
          },
          { title: t('Status'), dataIndex: 'active', render: (a: boolean) => <StatusTag active={a} /> },
          {
            title: t('Actions'),
            render: (_: unknown, m: Member) =>
              m.active && m.id !== session.staffId && canManage(session, m.departmentId) ? (
                <Button size="small" danger onClick={() => deactivate(m)}>
                  {t('Deactivate')}
                </Button>
              ) : null,
          },
        ]}
      />
      <CreateStaff
        open={creating}
        departments={manageable}
        roles={ROLES.filter((r) => r !== 'platform_admin' || isPlatformAdmin(session))}
        defaultDepartment={managedDepartments(session)[0] ?? session.departmentId}
        onClose={(changed) => {
          setCreating(false);
          if (changed) reload();
        }}
      />
    </Card>
  );
}

function CreateStaff(props: {
  open: boolean;
  departments: Array<{ value: number; label: string }>;
  roles: string[];
  defaultDepartment: number;
  onClose: (changed: boolean) => void;
}) {
  const { t, role } = usePrefs();
  const { message } = App.useApp();
  return (
    <FormDialog<{ displayName: string; username: string; departmentId: number; roles: string[]; password: string }>
      open={props.open}
      title={t('New staff member')}
      initialValues={{ departmentId: props.defaultDepartment, roles: ['caseworker'] }}
      onCancel={() => props.onClose(false)}
      onSubmit={async ({ password, ...values }) => {
        const member = await api<Member>('POST', '/org/staff', values);
        // The password belongs to auth (ADR 0003); set it right after creating the record.
        await api('POST', `/auth/staff/${member.id}/password`, { password });
        message.success(t('Saved'));
        props.onClose(true);
      }}
    >
      <Form.Item label={t('Name')} name="displayName" rules={[{ required: true, message: t('Required') }]}>
        <Input />
      </Form.Item>
      <Form.Item
        label={t('Username')}
        name="username"
        rules={[{ required: true, pattern: /^[a-z0-9][a-z0-9._-]{2,63}$/, message: 'a-z 0-9 . _ -' }]}
      >
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item label={t('Department')} name="departmentId" rules={[{ required: true }]}>
        <Select options={props.departments} showSearch optionFilterProp="label" />
      </Form.Item>
      <Form.Item label={t('Roles')} name="roles">
        <Select mode="multiple" options={props.roles.map((r) => ({ value: r, label: role(r) }))} />
      </Form.Item>
      <Form.Item
        label={t('Initial password')}
        name="password"
        rules={[{ required: true, min: 8, message: t('at least 8 characters') }]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </FormDialog>
  );
}
