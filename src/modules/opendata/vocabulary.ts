// The open-data vocabulary: licences and themes. No imports, so that the web pages use the same lists.
/** Licences a dataset may carry (CKAN's license_list); ids as opendefinition.org has them. */
export const LICENCES = [
  {
    id: 'cc-by-4.0',
    title: '知识共享署名 4.0 (CC BY 4.0)',
    url: 'https://creativecommons.org/licenses/by/4.0/',
    od_conformance: 'approved',
  },
  {
    id: 'cc-by-sa-4.0',
    title: '知识共享署名-相同方式共享 4.0 (CC BY-SA 4.0)',
    url: 'https://creativecommons.org/licenses/by-sa/4.0/',
    od_conformance: 'approved',
  },
  {
    id: 'cc-zero',
    title: '知识共享零 (CC0 1.0)',
    url: 'https://creativecommons.org/publicdomain/zero/1.0/',
    od_conformance: 'approved',
  },
  {
    id: 'odc-by',
    title: '开放数据共享署名许可 (ODC-By)',
    url: 'https://opendatacommons.org/licenses/by/1-0/',
    od_conformance: 'approved',
  },
  {
    id: 'gov-open-agreement',
    title: '政府数据开放利用协议（有条件开放）',
    url: '',
    od_conformance: 'not reviewed',
  },
] as const;

/** The themes (CKAN's groups) of the national open-data catalogues. */
export const THEMES = [
  { name: 'economy', title: '经济建设' },
  { name: 'credit', title: '信用服务' },
  { name: 'finance', title: '财税金融' },
  { name: 'transport', title: '交通运输' },
  { name: 'education', title: '教育文化' },
  { name: 'health', title: '医疗卫生' },
  { name: 'employment', title: '社保就业' },
  { name: 'housing', title: '城建住房' },
  { name: 'environment', title: '生态环境' },
  { name: 'safety', title: '公共安全' },
  { name: 'agriculture', title: '农业农村' },
  { name: 'government', title: '机构团体' },
] as const;
