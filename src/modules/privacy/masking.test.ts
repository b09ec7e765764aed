import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  maskAddress,
  maskBankCard,
  maskBirthDate,
  maskEmail,
  maskIp,
  maskName,
  maskPassport,
  maskPhone,
  maskPlate,
  maskResidentId,
  maskValue,
  PII_TYPES,
} from './index.ts';

test('each PII type masks to its published form', () => {
  assert.equal(maskResidentId('110101199003071234'), '110101********1234');
  assert.equal(maskPhone('13812345678'), '138****5678');
  assert.equal(maskName('张三'), '张*');
  assert.equal(maskBankCard('6222 0212 3456 1234'), '****1234');
  assert.equal(maskBankCard('6222021234561234567'), '****4567');
  assert.equal(maskEmail('zhang.san@tj.gov.cn'), 'z***@tj.gov.cn');
  assert.equal(maskPassport('E12345678'), 'E1****678');
  assert.equal(maskPlate('津A12345'), '津A***45');
  assert.equal(maskAddress('天津市和平区南京路100号'), '天津市和平区****');
  assert.equal(maskBirthDate('1987-06-05'), '1987-**-**');
  assert.equal(maskIp('10.2.33.4'), '10.2.*.*');
  assert.equal(maskIp('2001:db8::1'), '2001:db8:****');
});

test('values too short to keep anything are hidden whole', () => {
  assert.equal(maskPhone('110'), '***');
  assert.equal(maskResidentId('12345'), '*****');
  assert.equal(maskEmail('nobody'), '******');
  assert.equal(maskAddress('和平区'), '***');
  assert.equal(maskBankCard('123'), '***');
});

test('maskValue leaves non-personal values alone and masks every personal type', () => {
  assert.equal(maskValue('none', 42), 42);
  assert.equal(maskValue('name', null), null);
  assert.equal(maskValue('health', '高血压'), '******');
  assert.equal(maskValue('phone', 13812345678), '138****5678');
  for (const type of PII_TYPES) {
    if (type === 'none') continue;
    fc.assert(
      fc.property(
        fc.string({ minLength: 8, maxLength: 40 }).filter((v) => !v.includes('*')),
        (value) => {
          const masked = String(maskValue(type, value));
          assert.notEqual(masked, value, `${type} must change ${value}`);
          assert.ok(masked.includes('*'), `${type} shows where it hid something`);
        },
      ),
    );
  }
});
