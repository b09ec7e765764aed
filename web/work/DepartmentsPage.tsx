import { App, Button, Card, Form, Input, Modal, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { api } from '../shared/api.ts';
import { useApiForm } from '../shared/forms.ts';
import { type NodeRegion, useNodeRegions } from '../shared/node.ts';
import { usePrefs } from '../shared/prefs.tsx';
import { type Department, useDepartments } from './data.ts';
import { StatusTag } from './StatusTag.tsx';
import { isPlatformAdmin, useStaff } from './session.ts';

export function DepartmentsPage() {
  const { t } = usePrefs();
  const session = useStaff();
  const { rows, reload } = useDepartments();
  // The node's region and those under it: where this government's departments sit.
  const regions = useNodeRegions();
  const [creating, setCreating] = useState(false);
  const regionName = (code: string) => regions?.find((r) => r.code === code)?.name ?? code;
  return (
    <Card
      title={<h1 style={{ fontSize: '1.25em', margin: 0 }}>{t('Departments')}</h1>}
      extra={
        isPlatformAdmin(session) ? (
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('New department')}
          </Button>
        ) : null
      }
    >
      <Table<Department>
        rowKey="id"
        loading={rows === undefined}
        dataSource={rows ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: true }}
        columns={[
          { title: t('Code'), dataIndex: 'code', width: 120 },
          { title: t('Name'), dataIndex: 'name' },
          { title: t('Short name'), dataIndex: 'shortName' },
          {
            title: t('Region'),
            dataIndex: 'regionCode',
            render: regionName,
            filters: [...new Set(rows?.map((r) => r.regionCode))].map((c) => ({ text: regionName(c), value: c })),
            onFilter: (v, r) => r.regionCode === v,
          },
          { title: t('Status'), dataIndex: 'active', render: (a: boolean) => <StatusTag active={a} /> },
        ]}
      />
      <CreateDepartment
        open={creating}
        regions={regions ?? []}
        parents={rows ?? []}
        onClose={(changed) => {
          setCreating(false);
          if (changed) reload();
        }}
      />
    </Card>
  );
}

function CreateDepartment({
  open,
  regions,
  parents,
  onClose,
}: {
  open: boolean;
  regions: NodeRegion[];
  parents: Department[];
  onClose: (changed: boolean) => void;
}) {
  const { t } = usePrefs();
  const { message } = App.useApp();
  const { form, run } = useApiForm();
  const submit = async () => {
    const values = await form.validateFields();
    await run(async () => {
      await api('POST', '/org/departments', { ...values, shortName: values.shortName || undefined });
      message.success(t('Saved'));
      form.resetFields();
      onClose(true);
    });
  };
  return (
    <Modal
      open={open}
      title={t('New department')}
      onOk={submit}
      onCancel={() => onClose(false)}
      okText={t('Create')}
      cancelText={t('Cancel')}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ regionCode: regions[0]?.code }}>
        <Form.Item
          label={t('Code')}
          name="code"
          rules={[{ required: true, pattern: /^[A-Za-z0-9_-]{2,40}$/, message: 'A-Z 0-9 _ -' }]}
        >
          <Input />
        </Form.Item>
        <Form.Item label={t('Name')} name="name" rules={[{ required: true, message: t('Required') }]}>
          <Input />
        </Form.Item>
        <Form.Item label={t('Short name')} name="shortName">
          <Input />
        </Form.Item>
        <Form.Item label={t('Region')} name="regionCode" rules={[{ required: true }]}>
          <Select
            options={regions.map((r) => ({ value: r.code, label: r.name }))}
            showSearch
            optionFilterProp="label"
          />
        </Form.Item>
        <Form.Item label={t('Department')} name="parentId">
          <Select
            allowClear
            options={parents.map((p) => ({ value: p.id, label: p.name }))}
            showSearch
            optionFilterProp="label"
          />
        </Form.Item>
      </Form>
      <Space />
    </Modal>
  );
}
