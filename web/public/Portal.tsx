// The citizen and enterprise portal (外部服务): home, login and real-name registration, my account.
import { Button, Col, Layout, Result, Row, Space, Typography } from 'antd';
import { useEffect } from 'react';
import { Link, Route, Routes, useNavigate } from 'react-router';
import { portalTagline, portalTitle, useNode } from '../shared/node.ts';
import { logoutEverywhere } from '../shared/OidcSignIn.tsx';
import { PrefsControls } from '../shared/PrefsControls.tsx';
import { usePrefs } from '../shared/prefs.tsx';
import { AccountPage } from './AccountPage.tsx';
import { ApplicationPage, ApplicationsPage } from './ApplicationsPage.tsx';
import { ApplyPage } from './ApplyPage.tsx';
import { CatalogEntryPage, CatalogPage } from './CatalogPage.tsx';
import { Home } from './Home.tsx';
import { LoginPage } from './LoginPage.tsx';
import { DatasetPage, OpenDataPage } from './OpenDataPage.tsx';
import { ReceiptsPage } from './ReceiptsPage.tsx';
import { SearchPage } from './SearchPage.tsx';
import { ServiceGuidePage, ServicesPage } from './ServicesPage.tsx';
import { useAccountSession } from './session.ts';
import { VerifyPage } from './VerifyPage.tsx';

export function Portal() {
  const { t, lang } = usePrefs();
  const node = useNode();
  useEffect(() => {
    document.title = `${portalTitle(lang, node)} · 政通`;
  }, [lang, node]);
  const { session, accept } = useAccountSession();
  const navigate = useNavigate();
  const logout = async () => {
    if (await logoutEverywhere()) return;
    accept(null);
    navigate('/');
  };
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a className="zt-skip" href="#main">
        {t('Skip to content')}
      </a>
      <Layout.Header style={{ background: '#b91c1c', height: 'auto', padding: '8px 16px', lineHeight: 1.5 }}>
        <Row justify="space-between" align="middle" gutter={[8, 8]}>
          <Col>
            <Link to="/" style={{ color: '#fff', fontSize: 20, fontWeight: 600 }}>
              {portalTitle(lang, node)}
            </Link>
          </Col>
          <Col>
            <Space wrap>
              <PrefsControls dark />
              <Link to="/services" style={{ color: '#fff' }}>
                {t('Services')}
              </Link>
              <Link to="/catalog" style={{ color: '#fff' }}>
                {t('Data catalog')}
              </Link>
              <Link to="/opendata" style={{ color: '#fff' }}>
                {t('Open data portal')}
              </Link>
              <Link to="/verify" style={{ color: '#fff' }}>
                {t('Verify a receipt')}
              </Link>
              {session ? (
                <>
                  <Link to="/applications" style={{ color: '#fff' }}>
                    {t('My applications')}
                  </Link>
                  <Link to="/receipts" style={{ color: '#fff' }}>
                    {t('My receipts')}
                  </Link>
                  <Link to="/me" style={{ color: '#fff' }} data-testid="account-link">
                    {session.displayName}
                  </Link>
                  <Button size="small" onClick={logout}>
                    {t('Log out')}
                  </Button>
                </>
              ) : session === null ? (
                <Link to="/login" style={{ color: '#fff', fontWeight: 600 }}>
                  {t('Log in')} / {t('Register')}
                </Link>
              ) : null}
            </Space>
          </Col>
        </Row>
      </Layout.Header>
      <Layout.Content id="main" className="zt-page" style={{ width: '100%' }}>
        <Routes>
          <Route path="/" element={<Home session={session} />} />
          <Route path="/login" element={<LoginPage onLogin={accept} />} />
          <Route path="/me" element={<AccountPage session={session} />} />
          <Route path="/receipts" element={<ReceiptsPage session={session} />} />
          <Route path="/verify" element={<VerifyPage />} />
          <Route path="/services" element={<ServicesPage />} />
          <Route path="/services/:code" element={<ServiceGuidePage />} />
          <Route path="/services/:code/apply" element={<ApplyPage session={session} />} />
          <Route path="/applications" element={<ApplicationsPage session={session} />} />
          <Route path="/applications/:id" element={<ApplicationPage session={session} />} />
          <Route path="/search" element={<SearchPage />} />
          <Route path="/catalog" element={<CatalogPage />} />
          <Route path="/catalog/:code" element={<CatalogEntryPage />} />
          <Route path="/opendata" element={<OpenDataPage />} />
          <Route path="/opendata/:name" element={<DatasetPage session={session} />} />
          <Route
            path="*"
            element={
              <Result status="404" title={t('Page not found')} extra={<Link to="/">{t('Back to home')}</Link>} />
            }
          />
        </Routes>
      </Layout.Content>
      <Layout.Footer style={{ textAlign: 'center' }}>
        <Typography.Text type="secondary">政通 Zhengtong · {portalTagline(lang, node)}</Typography.Text>
      </Layout.Footer>
    </Layout>
  );
}
