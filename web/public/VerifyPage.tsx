// 验证存证: anyone can check a receipt against the node's public key, in the browser, trusting no server answer.
import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { Alert, Button, Card, Input, List, Space, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import {
  fromBase64,
  parseVerifierKey,
  type Receipt,
  type ReceiptCheck,
  verifyCheckpoint,
  verifyConsistency,
  verifyReceipt,
} from '../../src/modules/ledger/verify.ts';
import { api } from '../shared/api.ts';
import { label } from '../shared/i18n.ts';
import { browserCrypto } from '../shared/ledger-crypto.ts';
import { usePrefs } from '../shared/prefs.tsx';

type Step = ReceiptCheck['step'] | 'consistency';
interface Result {
  readonly step: Step;
  readonly ok: boolean;
  readonly detail: string;
}

async function checkConsistency(receipt: Receipt, keyText: string): Promise<Result> {
  const key = parseVerifierKey(keyText);
  const crypto = await browserCrypto(key.profile);
  const res = await fetch('/api/v1/ledger/checkpoint');
  const latest = await verifyCheckpoint(crypto, await res.text(), key);
  const signed = await verifyCheckpoint(crypto, receipt.checkpoint, key);
  if (latest.size === signed.size) {
    return {
      step: 'consistency',
      ok: latest.rootHash.every((b, i) => b === signed.rootHash[i]),
      detail: `latest checkpoint, size ${latest.size}`,
    };
  }
  const proof = await api<{ hashes: string[] }>(
    'GET',
    `/ledger/proof/consistency?from=${signed.size}&to=${latest.size}`,
  );
  const ok = await verifyConsistency(
    crypto,
    signed.size,
    latest.size,
    signed.rootHash,
    latest.rootHash,
    proof.hashes.map(fromBase64),
  );
  return { step: 'consistency', ok, detail: `size ${signed.size} → ${latest.size}` };
}

export function VerifyPage() {
  const { t, lang } = usePrefs();
  const [params] = useSearchParams();
  const [receiptText, setReceiptText] = useState('');
  const [keyText, setKeyText] = useState('');
  const [results, setResults] = useState<Result[]>();
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);

  const verify = useCallback(async (text: string, key: string) => {
    setBusy(true);
    setProblem(undefined);
    setResults(undefined);
    try {
      const receipt = JSON.parse(text) as Receipt;
      const trusted = parseVerifierKey(key);
      const checks: Result[] = await verifyReceipt(await browserCrypto(trusted.profile), receipt, trusted);
      if (checks.every((c) => c.ok)) checks.push(await checkConsistency(receipt, key));
      setResults(checks);
    } catch (e) {
      setProblem((e as Error).message);
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    const id = params.get('receipt');
    api<{ verifierKey: string }>('GET', '/ledger/key')
      .then(async ({ verifierKey }) => {
        setKeyText(verifierKey);
        if (id) {
          const receipt = await api<Receipt>('GET', `/ledger/receipts/${encodeURIComponent(id)}`);
          const text = JSON.stringify(receipt, null, 2);
          setReceiptText(text);
          await verify(text, verifierKey);
        }
      })
      .catch((e: Error) => setProblem(e.message));
  }, [params, verify]);

  const allOk = results?.every((r) => r.ok);
  return (
    <Card title={<h1 style={{ fontSize: '1.25em', margin: 0 }}>{t('Verify a receipt')}</h1>}>
      <Typography.Paragraph>{t('receipt.explain')}</Typography.Paragraph>
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <div>
          <label htmlFor="zt-receipt">
            <Typography.Text strong>{t('Receipt (JSON)')}</Typography.Text>
          </label>
          <Input.TextArea
            id="zt-receipt"
            rows={8}
            value={receiptText}
            onChange={(e) => setReceiptText(e.target.value)}
            style={{ fontFamily: 'monospace' }}
          />
        </div>
        <div>
          <label htmlFor="zt-key">
            <Typography.Text strong>{t('Trusted verifier key')}</Typography.Text>
          </label>
          <Input
            id="zt-key"
            value={keyText}
            onChange={(e) => setKeyText(e.target.value)}
            style={{ fontFamily: 'monospace' }}
          />
          <Typography.Text type="secondary">{t('key.explain')}</Typography.Text>
        </div>
        <Button
          type="primary"
          onClick={() => verify(receiptText, keyText)}
          loading={busy}
          disabled={!receiptText || !keyText}
        >
          {t('Verify')}
        </Button>
        {problem ? (
          <Alert type="error" showIcon title={t('This is not a receipt that can be checked')} description={problem} />
        ) : null}
        {results ? (
          <>
            <Alert
              type={allOk ? 'success' : 'error'}
              showIcon
              data-testid="verdict"
              title={allOk ? t('Verified: this record is in the tamper-evident log') : t('Verification failed')}
            />
            <List
              bordered
              dataSource={results}
              renderItem={(r) => (
                <List.Item data-testid={`check-${r.step}`} data-ok={r.ok}>
                  <Space align="start">
                    {r.ok ? (
                      <CheckCircleFilled style={{ color: '#15803d' }} aria-label={t('Passed')} />
                    ) : (
                      <CloseCircleFilled style={{ color: '#b91c1c' }} aria-label={t('Failed')} />
                    )}
                    <span>
                      <Typography.Text strong>{label(lang, 'verifyStep', r.step)}</Typography.Text>
                      <br />
                      <Typography.Text type="secondary" style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
                        {r.detail}
                      </Typography.Text>
                    </span>
                  </Space>
                </List.Item>
              )}
            />
          </>
        ) : null}
      </Space>
    </Card>
  );
}
