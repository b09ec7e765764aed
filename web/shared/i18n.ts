import { ROLE_LABELS, type Role } from '../../src/modules/org/org.policy.ts';

// UI strings, Chinese first. Keys are the English meaning; a missing zh entry falls back to the key.
export type Lang = 'zh' | 'en';

const zh: Record<string, string> = {
  Zhengtong: '政通',
  'Tianjin Government Services': '天津政务服务',
  'Staff workbench': '政务工作台',
  'Log in': '登录',
  'Log out': '退出登录',
  Register: '注册',
  Password: '密码',
  Username: '用户名',
  Name: '姓名',
  'Enterprise name': '企业名称',
  'Resident ID number': '居民身份证号',
  'Unified social credit code': '统一社会信用代码',
  'ID number or credit code': '身份证号或统一社会信用代码',
  Person: '个人',
  Enterprise: '法人',
  'My account': '我的账户',
  'Change password': '修改密码',
  'Current password': '当前密码',
  'New password': '新密码',
  Save: '保存',
  Cancel: '取消',
  Create: '新建',
  'Large text': '大字模式',
  Language: '语言',
  Departments: '部门',
  Staff: '人员',
  Regions: '行政区划',
  Organisation: '组织机构',
  'API clients': '接口客户端',
  Home: '首页',
  Roles: '角色',
  Department: '所属部门',
  Region: '地区',
  Code: '代码',
  'Short name': '简称',
  Status: '状态',
  Active: '在用',
  Inactive: '停用',
  Deactivate: '停用',
  Revoke: '吊销',
  'Key id': '密钥标识',
  Algorithm: '算法',
  'Last used': '最近使用',
  Never: '从未',
  Actions: '操作',
  Welcome: '欢迎',
  'Service departments': '办事部门',
  'Not registered yet?': '还没有账户？',
  'Already registered?': '已有账户？',
  'Real-name registration': '实名注册',
  'Password changed': '密码已修改',
  Saved: '已保存',
  'Initial password': '初始密码',
  'Private key (shown once; copy it now)': '私钥（仅显示一次，请立即复制保存）',
  'New staff member': '新建人员',
  'New department': '新建部门',
  'New API client': '新建接口客户端',
  'Account type': '账户类型',
  'Logged in as': '当前用户',
  'Your roles': '您的角色',
  'Something went wrong. Please try again.': '操作未成功，请稍后重试。',
  'Page not found': '页面不存在',
  'Back to home': '返回首页',
  'Online government services for citizens and enterprises of Tianjin': '天津市民和企业的网上政务服务',
  'Log in to apply for services and follow your applications.': '登录后可在线办理事项、查看办件进度。',
  'at least 8 characters': '至少 8 位',
  Required: '必填',
  'Loading…': '加载中…',
  'Revoke this client? Its signatures stop verifying at once.': '确定吊销此客户端？其签名将立即失效。',
  'Deactivate this staff member? They can no longer log in.': '确定停用此人员？停用后将无法登录。',
  'Skip to content': '跳到正文',
  Districts: '区',
  'Verify a receipt': '验证存证',
  'Data catalog': '数据目录',
  'Register a resource': '登记信息资源',
  'Resource name': '资源名称',
  'Item name': '名称',
  Visibility: '可见范围',
  Internal: '内部',
  Public: '公开',
  Records: '数据记录',
  Version: '版本',
  'Load more': '加载更多',
  Import: '导入',
  'Import records': '导入数据',
  File: '文件',
  'Keep the good rows when some are invalid': '有误行跳过，保留合格行',
  'Update existing records by (key)': '按唯一键更新已有记录',
  Imported: '已导入',
  'Nothing imported': '未导入任何数据',
  rows: '行',
  new: '新增',
  updated: '更新',
  unchanged: '未变',
  invalid: '有误',
  Row: '行号',
  Column: '列',
  Value: '值',
  Reason: '原因',
  Conditions: '共享条件',
  'Item (项)': '项',
  'Subitem (目)': '目',
  'Choices, comma-separated': '选项（逗号分隔）',
  Unique: '唯一',
  Remove: '删除',
  'Add a data item': '添加信息项',
  'import.explain': 'CSV 或 XLSX 文件，第一行为表头（信息项名称或代码）。默认全部合格才导入；有误的行会逐行列出。',
  'Base library': '基础库',
  Sharing: '共享属性',
  'No resources match': '没有符合条件的资源',
  'Data item': '信息项',
  'Data items': '信息项',
  Type: '类型',
  Grade: '分级',
  Yes: '是',
  'Resource code': '资源代码',
  Provider: '提供方',
  'Resource attribute': '资源属性',
  Abstract: '摘要',
  Basis: '依据',
  'Open data': '开放属性',
  'Update cycle': '更新周期',
  Format: '格式',
  Published: '发布日期',
  'Last changed': '最近更新',
  'catalog.explain':
    '本市政务信息资源目录：每项资源的提供部门、共享与开放属性和信息项。这里只公开目录，不公开数据本身。',
  'My receipts': '我的存证',
  Verify: '验证',
  What: '事项',
  When: '时间',
  'Log index': '日志序号',
  'Receipt (JSON)': '存证（JSON）',
  'Trusted verifier key': '可信验证公钥',
  'This is not a receipt that can be checked': '无法识别的存证',
  'Verified: this record is in the tamper-evident log': '验证通过：该记录已写入防篡改日志',
  'Verification failed': '验证未通过',
  'No receipts yet; new ones appear within a second.': '暂无存证；新的存证将在一秒内出现。',
  'receipt.explain':
    '每一次政务操作都会写入防篡改的公开日志（默克尔树，签名检查点）。粘贴一份存证，浏览器会在本地重新计算并核对，无需信任服务器。',
  'key.explain': '默认使用本节点公布的公钥；如需独立核对，请粘贴从其他渠道获得的公钥。',
};

// Error codes the API answers with, in plain Chinese (never show a code alone).
const errorZh: Record<string, string> = {
  'auth.invalid_credentials': '账号或密码错误',
  'auth.locked': '登录失败次数过多，账户已临时锁定，请稍后再试',
  'auth.unauthenticated': '请先登录',
  'auth.forbidden': '您没有执行此操作的权限',
  'auth.csrf': '页面已过期，请刷新后重试',
  'validation.resident_id': '身份证号码不正确，请核对每一位和最后一位校验码',
  'validation.credit_code': '统一社会信用代码不正确，请核对',
  'account.exists': '该证件号已注册，请直接登录',
  'staff.username_taken': '用户名已被使用',
  'department.code_taken': '部门代码已被使用',
  'validation.failed': '填写的内容不符合要求，请检查标出的项目',
};

// Long texts are keyed by an id; these are their English versions.
const en: Record<string, string> = {
  'import.explain':
    'A CSV or XLSX file whose first row names the data items (by name or code). By default nothing is imported unless every row is valid; bad rows are listed one by one.',
  'catalog.explain':
    "The city's catalog of government data resources: who provides each, how it is shared and opened, and its data items. The catalog is public; the data is not.",
  'receipt.explain':
    'Every government action is written to a tamper-evident public log (a Merkle tree with signed checkpoints). Paste a receipt and your browser recomputes and checks it locally, trusting no server answer.',
  'key.explain':
    "By default the node's published key is used; to check independently, paste the key you obtained elsewhere.",
};

export function translate(lang: Lang, text: string): string {
  return lang === 'zh' ? (zh[text] ?? text) : (en[text] ?? text);
}

export function roleLabel(lang: Lang, role: string): string {
  return lang === 'zh' ? (ROLE_LABELS[role as Role] ?? role) : role.replaceAll('_', ' ');
}

export function errorText(lang: Lang, code: string, fallback: string): string {
  return lang === 'zh' ? (errorZh[code] ?? fallback) : fallback;
}

/** 2026年11月29日 in Chinese, ISO in English. */
export function formatDate(lang: Lang, iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (lang === 'en') return d.toISOString().slice(0, 16).replace('T', ' ');
  return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日 ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
