import { Card, Col, List, Row, Skeleton, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../shared/api.ts';
import { usePrefs } from '../shared/prefs.tsx';
import { SearchBox } from './SearchPage.tsx';
import { SubplatformGrid, useSubplatforms } from './ServicesPage.tsx';
import type { AccountSession } from './session.ts';

interface Department {
  id: number;
  name: string;
  shortName: string | null;
  regionCode: string;
}
interface Region {
  code: string;
  name: string;
}

/** Home: who we are, the citizen's entry point, and the departments that serve them, by district. */
export function Home({ session }: { session: AccountSession | null | undefined }) {
  const { t } = usePrefs();
  const subplatforms = useSubplatforms();
  const [departments, setDepartments] = useState<Department[] | undefined>();
  const [regions, setRegions] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    api<Department[]>('GET', '/org/departments')
      .then(setDepartments)
      .catch(() => setDepartments([]));
    Promise.all([
      api<Region[]>('GET', '/org/regions?level=province&q=天津'),
      api<Region[]>('GET', '/org/regions?parent=120000'),
    ])
      .then(([a, b]) => setRegions(new Map([...a, ...b].map((r) => [r.code, r.name]))))
      .catch(() => {});
  }, []);
  const byRegion = new Map<string, Department[]>();
  for (const d of departments ?? []) byRegion.set(d.regionCode, [...(byRegion.get(d.regionCode) ?? []), d]);
  return (
    <>
      <Card style={{ marginBottom: 24, background: 'linear-gradient(135deg,#fff7ed,#ffffff)' }}>
        <Typography.Title level={1} style={{ marginTop: 0 }}>
          {t('Tianjin Government Services')}
        </Typography.Title>
        <Typography.Paragraph style={{ fontSize: '1.1em' }}>
          {t('Online government services for citizens and enterprises of Tianjin')}
        </Typography.Paragraph>
        {session ? (
          <Typography.Paragraph data-testid="welcome">
            {t('Welcome')}，{session.displayName}（{session.identifierMasked}）
          </Typography.Paragraph>
        ) : (
          <Typography.Paragraph>
            {t('Log in to apply for services and follow your applications.')} <Link to="/login">{t('Log in')}</Link>
          </Typography.Paragraph>
        )}
      </Card>
      <div style={{ marginBottom: 24, maxWidth: 720 }}>
        <SearchBox />
      </div>
      <Typography.Title level={2} style={{ fontSize: '1.3em' }}>
        {t('Services by theme')}
      </Typography.Title>
      <div style={{ marginBottom: 24 }}>
        <SubplatformGrid subplatforms={subplatforms} />
      </div>
      <Typography.Title level={2} style={{ fontSize: '1.3em' }}>
        {t('Service departments')}
      </Typography.Title>
      {departments === undefined ? (
        <Skeleton active />
      ) : (
        <Row gutter={[16, 16]}>
          {[...byRegion.entries()].map(([code, list]) => (
            <Col xs={24} md={12} key={code}>
              <Card title={regions.get(code) ?? code} size="small">
                <List
                  size="small"
                  dataSource={list}
                  renderItem={(d) => (
                    <List.Item>
                      <span>{d.name}</span> {d.shortName ? <Tag>{d.shortName}</Tag> : null}
                    </List.Item>
                  )}
                />
              </Card>
            </Col>
          ))}
        </Row>
      )}
    </>
  );
}
