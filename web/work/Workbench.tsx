// The staff workbench (内部支持): login gate, Ant Design Pro-style layout, navigation by task.
import {
  ApartmentOutlined,
  ApiOutlined,
  DatabaseOutlined,
  GlobalOutlined,
  HomeOutlined,
  InboxOutlined,
  KeyOutlined,
  SearchOutlined,
  SwapOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Layout, Menu, Result, Space, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, Route, Routes, useLocation, useNavigate } from 'react-router';
import { ApiError, api, setCsrfToken } from '../shared/api.ts';
import { useNode } from '../shared/node.ts';
import { logoutEverywhere, OidcError, OidcSignIn } from '../shared/OidcSignIn.tsx';
import { PasswordForm } from '../shared/PasswordForm.tsx';
import { PrefsControls } from '../shared/PrefsControls.tsx';
import { usePrefs } from '../shared/prefs.tsx';
import { ClientsPage } from './ClientsPage.tsx';
import { CasePage, InboxPage } from './casework/CaseworkPage.tsx';
import { DepartmentsPage } from './DepartmentsPage.tsx';
import { departmentName, useDepartments } from './data.ts';
import { ExchangePage } from './exchange/ExchangePage.tsx';
import { OverdueRequests } from './exchange/OverdueRequests.tsx';
import { OpenDataWorkPage } from './opendata/OpenDataPage.tsx';
import { NewRegisterPage } from './registry/NewRegisterPage.tsx';
import { OverdueObjections } from './registry/OverdueObjections.tsx';
import { RegisterPage } from './registry/RegisterPage.tsx';
import { RegistryListPage } from './registry/RegistryListPage.tsx';
import { SearchPage } from './SearchPage.tsx';
import { StaffPage } from './StaffPage.tsx';
import { SessionContext, type StaffSession, useStaff } from './session.ts';

export function Workbench() {
  const [session, setSession] = useState<StaffSession | null | undefined>(undefined);
  const accept = useCallback((s: StaffSession | null) => {
    setCsrfToken(s?.csrfToken);
    setSession(s);
  }, []);
  useEffect(() => {
    api<StaffSession>('GET', '/auth/session').then(accept, () => accept(null));
  }, [accept]);
  if (session === undefined) return <Spin fullscreen />;
  if (session === null) return <StaffLogin onLogin={accept} />;
  return (
    <SessionContext.Provider value={session}>
      <Shell session={session} onLogout={() => accept(null)} />
    </SessionContext.Provider>
  );
}

function StaffLogin({ onLogin }: { onLogin: (s: StaffSession) => void }) {
  const { t, error } = usePrefs();
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (values: { username: string; password: string }) => {
    setBusy(true);
    setMessage(undefined);
    try {
      onLogin(await api<StaffSession>('POST', '/auth/login', values));
    } catch (e) {
      setMessage(e instanceof ApiError ? error(e.code, e.message) : t('Something went wrong. Please try again.'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main
      style={{
        minHeight: '100vh',
        display: 'grid',
        placeItems: 'center',
        background: 'linear-gradient(135deg,#0b3a75,#1d4ed8)',
        padding: 16,
      }}
    >
      <Card style={{ width: '100%', maxWidth: 400 }}>
        <Space direction="vertical" style={{ width: '100%' }} size="large">
          <div>
            <Typography.Title level={1} style={{ fontSize: '1.5em', marginBottom: 4 }}>
              {t('Staff workbench')}
            </Typography.Title>
            <Typography.Text type="secondary">政通 Zhengtong</Typography.Text>
          </div>
          <PrefsControls />
          <OidcError />
          {message ? <Alert type="error" title={message} showIcon /> : null}
          <OidcSignIn returnTo={window.location.pathname} />
          <Form layout="vertical" onFinish={submit} requiredMark={false}>
            <Form.Item label={t('Username')} name="username" rules={[{ required: true, message: t('Required') }]}>
              <Input autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item label={t('Password')} name="password" rules={[{ required: true, message: t('Required') }]}>
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('Log in')}
            </Button>
          </Form>
        </Space>
      </Card>
    </main>
  );
}

function Shell({ session, onLogout }: { session: StaffSession; onLogout: () => void }) {
  const { t, role, lang } = usePrefs();
  const node = useNode();
  const location = useLocation();
  const navigate = useNavigate();
  const { rows: departments } = useDepartments();
  const logout = async () => {
    if (await logoutEverywhere()) return;
    onLogout();
    navigate('/');
  };
  const items = [
    { key: '/', icon: <HomeOutlined />, label: <Link to="/">{t('Home')}</Link> },
    { key: '/search', icon: <SearchOutlined />, label: <Link to="/search">{t('Search')}</Link> },
    { key: '/casework', icon: <InboxOutlined />, label: <Link to="/casework">{t('Applications to handle')}</Link> },
    {
      key: '/org/departments',
      icon: <ApartmentOutlined />,
      label: <Link to="/org/departments">{t('Departments')}</Link>,
    },
    { key: '/org/staff', icon: <TeamOutlined />, label: <Link to="/org/staff">{t('Staff')}</Link> },
    { key: '/registry', icon: <DatabaseOutlined />, label: <Link to="/registry">{t('Data catalog')}</Link> },
    { key: '/exchange', icon: <SwapOutlined />, label: <Link to="/exchange">{t('Data sharing')}</Link> },
    { key: '/opendata', icon: <GlobalOutlined />, label: <Link to="/opendata">{t('Open data portal')}</Link> },
    { key: '/clients', icon: <ApiOutlined />, label: <Link to="/clients">{t('API clients')}</Link> },
    { key: '/password', icon: <KeyOutlined />, label: <Link to="/password">{t('Change password')}</Link> },
  ];
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a className="zt-skip" href="#main">
        {t('Skip to content')}
      </a>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} width={220} theme="dark">
        <div style={{ color: '#fff', padding: '16px 20px', fontSize: 18, fontWeight: 600 }}>
          {t('Staff workbench')}
          <div data-testid="node-name" style={{ fontSize: 13, fontWeight: 400, opacity: 0.85 }}>
            {node ? (lang === 'zh' ? node.name : node.nameEn) : null}
          </div>
        </div>
        <nav aria-label={t('Staff workbench')}>
          <Menu theme="dark" mode="inline" selectedKeys={[location.pathname]} items={items} />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', padding: '0 16px', height: 'auto', lineHeight: '56px' }}>
          <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
            <Space wrap data-testid="whoami">
              <Typography.Text strong>{session.displayName}</Typography.Text>
              <Typography.Text type="secondary">{departmentName(departments, session.departmentId)}</Typography.Text>
              {session.roles.map((r) => (
                <Tag color="blue" key={`${r.role}-${r.departmentId}`}>
                  {role(r.role)}
                </Tag>
              ))}
            </Space>
            <Space wrap>
              <PrefsControls />
              <Button onClick={logout}>{t('Log out')}</Button>
            </Space>
          </Space>
        </Layout.Header>
        <Layout.Content id="main" style={{ padding: 16 }}>
          <Routes>
            <Route path="/" element={<HomePage />} />
            <Route path="/org/departments" element={<DepartmentsPage />} />
            <Route path="/org/staff" element={<StaffPage />} />
            <Route path="/clients" element={<ClientsPage />} />
            <Route path="/exchange" element={<ExchangePage />} />
            <Route path="/search" element={<SearchPage />} />
            <Route path="/casework" element={<InboxPage />} />
            <Route path="/casework/:number" element={<CasePage />} />
            <Route path="/registry" element={<RegistryListPage />} />
            <Route path="/registry/new" element={<NewRegisterPage />} />
            <Route path="/registry/:code" element={<RegisterPage />} />
            <Route path="/opendata" element={<OpenDataWorkPage />} />
            <Route
              path="/password"
              element={
                <Card title={t('Change password')}>
                  <PasswordForm />
                </Card>
              }
            />
            <Route
              path="*"
              element={
                <Result status="404" title={t('Page not found')} extra={<Link to="/">{t('Back to home')}</Link>} />
              }
            />
          </Routes>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

function HomePage() {
  const { t, role } = usePrefs();
  const { rows: departments } = useDepartments();
  const session = useStaff();
  const overseer = session.roles.some((r) => r.role === 'platform_admin' || r.role === 'auditor');
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={
          <h1 style={{ fontSize: '1.25em', margin: 0 }}>
            {t('Welcome')}，{session.displayName}
          </h1>
        }
      >
        <Typography.Paragraph>
          {t('Logged in as')} <Typography.Text code>{session.username}</Typography.Text>
        </Typography.Paragraph>
        <Typography.Paragraph>{t('Your roles')}:</Typography.Paragraph>
        <ul>
          {session.roles.map((r) => (
            <li key={`${r.role}-${r.departmentId}`}>
              {role(r.role)} — {departmentName(departments, r.departmentId)}
            </li>
          ))}
        </ul>
      </Card>
      {overseer ? <OverdueObjections /> : null}
      {overseer ? <OverdueRequests /> : null}
    </Space>
  );
}
