import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  creditCodeCheckChar,
  isValidCreditCode,
  isValidResidentId,
  maskCreditCode,
  maskName,
  maskResidentId,
  residentIdCheckChar,
} from './index.ts';

test('resident ID check characters (GB 11643, ISO 7064 MOD 11-2) on published examples', () => {
  assert.ok(isValidResidentId('11010519491231002X')); // the standard's own example
  assert.ok(isValidResidentId('440524188001010014'));
  assert.ok(!isValidResidentId('110105194912310021'));
  assert.ok(!isValidResidentId('11010519491331002X'), 'month 13');
  assert.ok(!isValidResidentId('11010520990101001X'), 'born in the future');
  assert.ok(!isValidResidentId('11010519491231002x'), 'lower-case x is normalised before, not accepted here');
  assert.ok(!isValidResidentId('01010519491231002X'), 'region cannot start with 0');
});

test('any single-character change of a valid resident ID is detected', () => {
  const digits17 = fc
    .tuple(
      fc.integer({ min: 110000, max: 659999 }),
      fc.date({ min: new Date('1930-01-01'), max: new Date('2020-12-31'), noInvalidDate: true }),
      fc.integer({ min: 0, max: 999 }),
    )
    .map(
      ([region, birth, seq]) =>
        `${region}${birth.toISOString().slice(0, 10).replaceAll('-', '')}${String(seq).padStart(3, '0')}`,
    );
  fc.assert(
    fc.property(digits17, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 9 }), (first17, pos, delta) => {
      const id = first17 + residentIdCheckChar(first17);
      assert.ok(isValidResidentId(id));
      const chars = [...id];
      if (pos === 17) chars[17] = '10X98765432'[('10X98765432'.indexOf(id[17] ?? '') + delta) % 11] ?? '';
      else chars[pos] = String((Number(chars[pos]) + delta) % 10);
      assert.ok(!isValidResidentId(chars.join('')) || chars.join('') === id);
    }),
  );
});

test('unified social credit code check characters (GB 32100, MOD 31)', () => {
  assert.ok(isValidCreditCode('91350100M000100Y43'));
  assert.ok(isValidCreditCode('91110000600037341L'));
  assert.ok(!isValidCreditCode('91350100M000100Y44'));
  assert.ok(!isValidCreditCode('91350100M000100I43'), 'I is not in the charset');
  const charset = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...charset), { minLength: 9, maxLength: 9 }),
      fc.integer({ min: 100000, max: 999999 }),
      (tail, region) => {
        const first17 = `91${region}${tail.join('')}`;
        assert.ok(isValidCreditCode(first17 + creditCodeCheckChar(first17)));
      },
    ),
  );
});

test('masking keeps only what identifies the kind of record', () => {
  assert.equal(maskResidentId('11010519491231002X'), '110105********002X');
  assert.equal(maskCreditCode('91350100M000100Y43'), '91350100******0Y43');
  assert.equal(maskName('张三'), '张*');
  assert.equal(maskName('欧阳娜娜'), '欧***');
  assert.equal(maskName('李'), '*');
});
