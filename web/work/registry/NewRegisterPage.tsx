// 登记信息资源: the form that registers a data resource with its data items (信息项).
import { App, Button, Card, Form, Input, Select, Space, Typography } from 'antd';
import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../shared/api.ts';
import { useApiForm } from '../../shared/forms.ts';
import { labelOptions } from '../../shared/i18n.ts';
import { usePrefs } from '../../shared/prefs.tsx';
import { useDepartments } from '../data.ts';
import { canManage, useStaff } from '../session.ts';
import { type FieldDraft, FieldsEditor, NEW_FIELD, toFields } from './FieldsEditor.tsx';
import { heading } from './shared.tsx';

export function NewRegisterPage() {
  const { t, lang } = usePrefs();
  const session = useStaff();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { rows: departments } = useDepartments();
  const { form, run } = useApiForm();
  const manageable = (departments ?? []).filter(
    (d) => canManage(session, d.id) || session.roles.some((r) => r.role === 'data_officer' && r.departmentId === d.id),
  );
  const firstManageable = manageable[0]?.id;
  // Departments arrive after the first render; preselect the user's own once they do.
  useEffect(() => {
    if (firstManageable !== undefined && form.getFieldValue('departmentId') === undefined)
      form.setFieldValue('departmentId', firstManageable);
  }, [firstManageable, form]);
  const submit = async (v: Record<string, unknown>) => {
    const fields = toFields(v.fields as FieldDraft[]);
    const sharingType = v.sharingType as string;
    await run(async () => {
      const created = await api<{ code: string }>('POST', '/registry/registers', {
        departmentId: v.departmentId,
        name: v.name,
        attribute: v.attribute,
        ...(v.baseLibrary ? { baseLibrary: v.baseLibrary } : {}),
        classification: { item: v.item, subitem: v.subitem },
        abstract: v.abstract,
        format: 'database',
        secrecy: 'non_classified',
        sharing: {
          type: sharingType,
          ...(sharingType !== 'none' ? { method: 'api' } : {}),
          ...(v.conditions ? { conditions: v.conditions } : {}),
          ...(v.basis ? { basis: v.basis } : {}),
        },
        open: { type: v.openType },
        updateCycle: v.updateCycle,
        publishedOn: new Date().toISOString().slice(0, 10),
        visibility: v.visibility,
        fields,
      });
      message.success(t('Saved'));
      navigate(`/registry/${created.code}`);
    });
  };
  return (
    <Card title={heading(t('Register a resource'))}>
      <Form
        form={form}
        name="register"
        layout="vertical"
        onFinish={submit}
        style={{ maxWidth: 900 }}
        initialValues={{
          attribute: 'departmental',
          item: '01',
          subitem: '001',
          sharingType: 'conditional',
          openType: 'closed',
          updateCycle: 'daily',
          visibility: 'public',

          fields: [NEW_FIELD],
        }}
      >
        <Space wrap align="start">
          <Form.Item
            label={t('Resource name')}
            name="name"
            rules={[{ required: true, message: t('Required') }]}
            style={{ minWidth: 320 }}
          >
            <Input />
          </Form.Item>
          <Form.Item label={t('Provider')} name="departmentId" rules={[{ required: true }]} style={{ minWidth: 240 }}>
            <Select options={manageable.map((d) => ({ value: d.id, label: d.name }))} />
          </Form.Item>
        </Space>
        <Form.Item label={t('Abstract')} name="abstract" rules={[{ required: true, message: t('Required') }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item label={t('Resource attribute')} name="attribute">
            <Select style={{ width: 160 }} options={labelOptions(lang, 'attribute')} />
          </Form.Item>
          <Form.Item label={t('Base library')} name="baseLibrary">
            <Select allowClear style={{ width: 200 }} options={labelOptions(lang, 'baseLibrary')} />
          </Form.Item>
          <Form.Item label={t('Item (项)')} name="item" rules={[{ pattern: /^\d{2}$/, message: '2 digits' }]}>
            <Input style={{ width: 80 }} />
          </Form.Item>
          <Form.Item label={t('Subitem (目)')} name="subitem" rules={[{ pattern: /^\d{3}$/, message: '3 digits' }]}>
            <Input style={{ width: 90 }} />
          </Form.Item>
        </Space>
        <Space wrap align="start">
          <Form.Item label={t('Sharing')} name="sharingType">
            <Select style={{ width: 160 }} options={labelOptions(lang, 'sharing')} />
          </Form.Item>
          <Form.Item label={t('Conditions')} name="conditions">
            <Input style={{ width: 260 }} />
          </Form.Item>
          <Form.Item label={t('Basis')} name="basis">
            <Input style={{ width: 260 }} />
          </Form.Item>
        </Space>
        <Space wrap align="start">
          <Form.Item label={t('Open data')} name="openType">
            <Select style={{ width: 160 }} options={labelOptions(lang, 'open')} />
          </Form.Item>
          <Form.Item label={t('Update cycle')} name="updateCycle">
            <Select style={{ width: 120 }} options={labelOptions(lang, 'updateCycle')} />
          </Form.Item>
          <Form.Item label={t('Visibility')} name="visibility">
            <Select
              style={{ width: 120 }}
              options={[
                { value: 'public', label: t('Public') },
                { value: 'internal', label: t('Internal') },
              ]}
            />
          </Form.Item>
        </Space>
        <Typography.Title level={2} style={{ fontSize: '1.1em' }}>
          {t('Data items')}
        </Typography.Title>
        <FieldsEditor />
        <div style={{ marginTop: 24 }}>
          <Button type="primary" htmlType="submit">
            {t('Register a resource')}
          </Button>
        </div>
      </Form>
    </Card>
  );
}
