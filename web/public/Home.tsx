import { Card, Col, List, Row, Skeleton, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../shared/api.ts';
import { portalTagline, portalTitle, useNode, useNodeRegions } from '../shared/node.ts';
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

/** Home: who we are, the citizen's entry point, and the departments that serve them, by district. */
export function Home({ session }: { session: AccountSession | null | undefined }) {
  const { t, lang } = usePrefs();
  const node = useNode();
  const subplatforms = useSubplatforms();
  const [departments, setDepartments] = useState<Department[] | undefined>();
  const regionList = useNodeRegions();
  const regions = new Map((regionList ?? []).map((r) => [r.code, r.name]));
  useEffect(() => {
    api<Department[]>('GET', '/org/departments')
      .then(setDepartments)
      .catch(() => setDepartments([]));
  }, []);
  const byRegion = new Map<string, Department[]>();
  for (const d of departments ?? []) byRegion.set(d.regionCode, [...(byRegion.get(d.regionCode) ?? []), d]);
  return (
    <>
      <Card style={{ marginBottom: 24, background: 'linear-gradient(135deg,#fff7ed,#ffffff)' }}>
        <Typography.Title level={1} style={{ marginTop: 0 }}>
          {portalTitle(lang, node)}
        </Typography.Title>
        <Typography.Paragraph style={{ fontSize: '1.1em' }}>{portalTagline(lang, node)}</Typography.Paragraph>
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
