// Chinese and English labels of the catalog vocabulary (registry.schemas.ts).
type Labels = Record<string, [string, string]>;

export const CATALOG_LABELS: Record<string, Labels> = {
  attribute: {
    basic: ['基础信息资源', 'Basic'],
    thematic: ['主题信息资源', 'Thematic'],
    departmental: ['部门信息资源', 'Departmental'],
  },
  baseLibrary: {
    population: ['人口库', 'Population'],
    legal_entity: ['法人单位库', 'Legal entities'],
    natural_resources: ['自然资源和空间地理库', 'Natural resources & geography'],
    social_credit: ['社会信用库', 'Social credit'],
    e_license: ['电子证照库', 'Electronic licences'],
  },
  sharing: {
    unconditional: ['无条件共享', 'Shared'],
    conditional: ['有条件共享', 'Shared on conditions'],
    none: ['不予共享', 'Not shared'],
  },
  open: {
    open: ['无条件开放', 'Open'],
    conditional: ['有条件开放', 'Open on conditions'],
    closed: ['不予开放', 'Not open'],
  },
  updateCycle: {
    realtime: ['实时', 'Real time'],
    daily: ['每日', 'Daily'],
    weekly: ['每周', 'Weekly'],
    monthly: ['每月', 'Monthly'],
    quarterly: ['每季度', 'Quarterly'],
    yearly: ['每年', 'Yearly'],
    irregular: ['不定期', 'Irregular'],
  },
  format: {
    database: ['数据库', 'Database'],
    spreadsheet: ['电子表格', 'Spreadsheet'],
    document: ['文档', 'Document'],
    api: ['接口', 'API'],
    image: ['图像', 'Image'],
    other: ['其他', 'Other'],
  },
  fieldType: {
    string: ['字符串', 'Text'],
    integer: ['整数', 'Integer'],
    decimal: ['数值', 'Decimal'],
    date: ['日期', 'Date'],
    datetime: ['日期时间', 'Date-time'],
    boolean: ['布尔', 'Yes/no'],
    enum: ['枚举', 'Choice'],
    code_list: ['代码', 'Code'],
    file: ['文件', 'File'],
  },
  grade: { general: ['一般', 'General'], important: ['重要', 'Important'], core: ['核心', 'Core'] },
};

export function catalogLabel(lang: 'zh' | 'en', kind: keyof typeof CATALOG_LABELS, value: string | undefined): string {
  if (!value) return '';
  return CATALOG_LABELS[kind]?.[value]?.[lang === 'zh' ? 0 : 1] ?? value;
}

export interface CatalogRegister {
  id: number;
  code: string;
  version: number;
  departmentId: number;
  provider: { name: string; code: string };
  updatedAt: string;
  metadata: {
    name: string;
    attribute: string;
    baseLibrary?: string;
    abstract: string;
    format: string;
    sharing: { type: string; conditions?: string; method?: string; basis?: string };
    open: { type: string; conditions?: string };
    updateCycle: string;
    publishedOn: string;
    visibility: string;
    fields: Array<{
      code: string;
      name: string;
      type: string;
      required?: boolean;
      unique?: boolean;
      grade: string;
      piiType: string;
      enumValues?: string[];
    }>;
  };
}
