// 登记信息资源: the form that registers a data resource with its data items (信息项).
import { App, Button, Card, Checkbox, Form, Input, Select, Space, Typography } from 'antd';
import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { PII_TYPES } from '../../../src/modules/privacy/pii.ts';
import { api } from '../../shared/api.ts';
import { useApiForm } from '../../shared/forms.ts';
import { usePrefs } from '../../shared/prefs.tsx';
import { useDepartments } from '../data.ts';
import { canManage, useStaff } from '../session.ts';
import { heading, labelOptions } from './shared.tsx';

interface FieldDraft {
  code: string;
  name: string;
  type: string;
  grade: string;
  piiType: string;
  required?: boolean;
  unique?: boolean;
  enumValues?: string;
}

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
    const fields = (v.fields as FieldDraft[]).map((f) => ({
      code: f.code,
      name: f.name,
      type: f.type,
      grade: f.grade,
      piiType: f.piiType,
      ...(f.required ? { required: true } : {}),
      ...(f.unique ? { unique: true } : {}),
      ...(f.type === 'enum'
        ? {
            enumValues: String(f.enumValues ?? '')
              .split(/[,，、]/)
              .map((s) => s.trim())
              .filter(Boolean),
          }
        : {}),
    }));
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

          fields: [{ code: '', name: '', type: 'string', grade: 'general', piiType: 'none' }],
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
        <Form.List name="fields">
          {(items, { add, remove }) => (
            <>
              {items.map((item, i) => (
                <Space key={item.key} wrap align="start" data-testid={`field-${i}`}>
                  <Form.Item
                    name={[item.name, 'code']}
                    rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{0,62}$/, message: 'a-z 0-9 _' }]}
                  >
                    <Input placeholder={t('Code')} aria-label={`${t('Code')} ${i + 1}`} style={{ width: 140 }} />
                  </Form.Item>
                  <Form.Item name={[item.name, 'name']} rules={[{ required: true, message: t('Required') }]}>
                    <Input
                      placeholder={t('Item name')}
                      aria-label={`${t('Item name')} ${i + 1}`}
                      style={{ width: 140 }}
                    />
                  </Form.Item>
                  <Form.Item name={[item.name, 'type']}>
                    <Select
                      aria-label={`${t('Type')} ${i + 1}`}
                      style={{ width: 110 }}
                      options={labelOptions(lang, 'fieldType')}
                    />
                  </Form.Item>
                  <Form.Item name={[item.name, 'enumValues']}>
                    <Input
                      placeholder={t('Choices, comma-separated')}
                      aria-label={`${t('Choices, comma-separated')} ${i + 1}`}
                      style={{ width: 150 }}
                    />
                  </Form.Item>
                  <Form.Item name={[item.name, 'grade']}>
                    <Select
                      aria-label={`${t('Grade')} ${i + 1}`}
                      style={{ width: 90 }}
                      options={labelOptions(lang, 'grade')}
                    />
                  </Form.Item>
                  <Form.Item name={[item.name, 'piiType']}>
                    <Select
                      aria-label={`PII ${i + 1}`}
                      style={{ width: 130 }}
                      options={PII_TYPES.map((p) => ({ value: p, label: p }))}
                    />
                  </Form.Item>
                  <Form.Item name={[item.name, 'required']} valuePropName="checked">
                    <Checkbox>{t('Required')}</Checkbox>
                  </Form.Item>
                  <Form.Item name={[item.name, 'unique']} valuePropName="checked">
                    <Checkbox>{t('Unique')}</Checkbox>
                  </Form.Item>
                  {items.length > 1 ? <Button onClick={() => remove(item.name)}>{t('Remove')}</Button> : null}
                </Space>
              ))}
              <Button onClick={() => add({ code: '', name: '', type: 'string', grade: 'general', piiType: 'none' })}>
                {t('Add a data item')}
              </Button>
            </>
          )}
        </Form.List>
        <div style={{ marginTop: 24 }}>
          <Button type="primary" htmlType="submit">
            {t('Register a resource')}
          </Button>
        </div>
      </Form>
    </Card>
  );
}
