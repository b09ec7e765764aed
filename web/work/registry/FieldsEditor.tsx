// The data items (信息项) of a register, edited as a list inside an antd Form (field name "fields").
import { Button, Checkbox, Form, Input, Select, Space } from 'antd';
import { labelOptions } from '../../shared/i18n.ts';
import { usePrefs } from '../../shared/prefs.tsx';

export interface FieldDraft {
  code: string;
  name: string;
  type: string;
  grade: string;
  piiType: string;
  required?: boolean;
  unique?: boolean;
  enumValues?: string;
  codeList?: string;
}

export const NEW_FIELD: FieldDraft = { code: '', name: '', type: 'string', grade: 'general', piiType: 'none' };

/** Form drafts → the API's field definitions. */
export function toFields(drafts: readonly FieldDraft[]) {
  return drafts.map((f) => ({
    code: f.code,
    name: f.name,
    type: f.type,
    grade: f.grade,
    piiType: f.piiType,
    ...(f.required ? { required: true } : {}),
    ...(f.unique ? { unique: true } : {}),
    ...(f.type === 'code_list' && f.codeList ? { codeList: f.codeList } : {}),
    ...(f.type === 'enum'
      ? {
          enumValues: String(f.enumValues ?? '')
            .split(/[,，、]/)
            .map((s) => s.trim())
            .filter(Boolean),
        }
      : {}),
  }));
}

/** The API's field definitions → form drafts. */
export function toDrafts(fields: ReadonlyArray<Record<string, unknown>>): FieldDraft[] {
  return fields.map((f) => ({
    ...(f as unknown as FieldDraft),
    enumValues: Array.isArray(f.enumValues) ? f.enumValues.join(',') : undefined,
  }));
}

export function FieldsEditor() {
  const { t, lang } = usePrefs();
  return (
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
                <Input placeholder={t('Item name')} aria-label={`${t('Item name')} ${i + 1}`} style={{ width: 140 }} />
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
                  aria-label={`${t('PII type')} ${i + 1}`}
                  style={{ width: 130 }}
                  options={labelOptions(lang, 'piiType')}
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
          <Button onClick={() => add(NEW_FIELD)}>{t('Add a data item')}</Button>
        </>
      )}
    </Form.List>
  );
}
