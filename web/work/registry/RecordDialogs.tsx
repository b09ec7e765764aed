// Editing one record (optimistic: the version it was read at) and raising an objection to it.
import { App, Form, Input, Modal, Select } from 'antd';
import { api } from '../../shared/api.ts';
import type { CatalogRegister } from '../../shared/catalog.ts';
import { useApiForm } from '../../shared/forms.ts';
import { usePrefs } from '../../shared/prefs.tsx';

type Fields = CatalogRegister['metadata']['fields'];
export interface EditableRecord {
  id: number;
  version: number;
  data: Record<string, unknown>;
}

/** Text typed in the form → the field's JSON type (the API validates it all). */
function typed(type: string, text: string): unknown {
  if (text === '') return undefined;
  if ((type === 'integer' || type === 'decimal') && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (type === 'boolean') return text === 'true';
  return text;
}

export function EditRecordDialog(props: {
  code: string;
  fields: Fields;
  record?: EditableRecord;
  onClose: (changed: boolean) => void;
}) {
  const { t } = usePrefs();
  const { message } = App.useApp();
  const { form, run } = useApiForm();
  const submit = async () => {
    const values = (await form.validateFields()) as Record<string, string | undefined>;
    const data = Object.fromEntries(
      props.fields
        .map((f) => [f.code, typed(f.type, String(values[f.code] ?? '').trim())])
        .filter(([, v]) => v !== undefined),
    );
    await run(async () => {
      await api('PUT', `/registry/registers/${props.code}/records/${props.record?.id}`, {
        expectedVersion: props.record?.version,
        data,
      });
      message.success(t('Saved'));
      props.onClose(true);
    });
  };
  return (
    <Modal
      open={!!props.record}
      title={t('Edit record')}
      onOk={submit}
      onCancel={() => props.onClose(false)}
      okText={t('Save')}
      cancelText={t('Cancel')}
      destroyOnHidden
    >
      <Form
        form={form}
        name="record"
        layout="vertical"
        initialValues={Object.fromEntries(
          props.fields.map((f) => [
            f.code,
            props.record?.data[f.code] === undefined ? '' : String(props.record.data[f.code]),
          ]),
        )}
      >
        {props.fields.map((f) => (
          <Form.Item
            key={f.code}
            label={f.name}
            name={f.code}
            rules={f.required ? [{ required: true, message: t('Required') }] : []}
          >
            {f.type === 'enum' || f.type === 'boolean' ? (
              <Select
                allowClear
                options={(f.type === 'boolean' ? ['true', 'false'] : (f.enumValues ?? [])).map((v) => ({
                  value: v,
                  label: v,
                }))}
              />
            ) : (
              <Input />
            )}
          </Form.Item>
        ))}
      </Form>
    </Modal>
  );
}

export function ObjectDialog(props: { code: string; recordId?: number; onClose: (raised: boolean) => void }) {
  const { t } = usePrefs();
  const { message } = App.useApp();
  const { form, run } = useApiForm();
  const submit = async () => {
    const v = await form.validateFields();
    await run(async () => {
      await api('POST', `/registry/registers/${props.code}/records/${props.recordId}/objections`, v);
      message.success(t('Saved'));
      props.onClose(true);
    });
  };
  return (
    <Modal
      open={props.recordId !== undefined}
      title={t('Object to this record')}
      onOk={submit}
      onCancel={() => props.onClose(false)}
      okText={t('Save')}
      cancelText={t('Cancel')}
      destroyOnHidden
    >
      <Form form={form} name="objection" layout="vertical">
        <Form.Item label={t('Reason')} name="reason" rules={[{ required: true, min: 2, message: t('Required') }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
