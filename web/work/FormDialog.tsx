// A dialog with a form that submits to the API: validates, shows a refusal beside its field (or as a message), and
// closes only when the call succeeded. The workbench's "new …" dialogs are all this.
import { Form, Modal } from 'antd';
import type { ReactNode } from 'react';
import { useApiForm } from '../shared/forms.ts';
import { usePrefs } from '../shared/prefs.tsx';

export function FormDialog<V extends object>(props: {
  open: boolean;
  title: string;
  okText?: string;
  initialValues?: Partial<V>;
  /** Calls the API; a throw keeps the dialog open with the error shown. */
  onSubmit: (values: V) => Promise<void>;
  onCancel: () => void;
  children: ReactNode;
}) {
  const { t } = usePrefs();
  const { form, run } = useApiForm();
  const submit = async () => {
    const values = (await form.validateFields()) as V;
    await run(async () => {
      await props.onSubmit(values);
      form.resetFields();
    });
  };
  return (
    <Modal
      open={props.open}
      title={props.title}
      onOk={submit}
      onCancel={props.onCancel}
      okText={props.okText ?? t('Create')}
      cancelText={t('Cancel')}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={props.initialValues}>
        {props.children}
      </Form>
    </Modal>
  );
}
