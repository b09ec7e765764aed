import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createWorkCalendar, cstDate } from './workdays.ts';

const cal = createWorkCalendar();

test('national holidays and make-up working days (调休) of 2026', () => {
  assert.equal(cal.isWorkday('2026-10-01'), false, 'National Day');
  assert.equal(cal.isWorkday('2026-10-07'), false);
  assert.equal(cal.isWorkday('2026-10-10'), true, 'a Saturday made a working day');
  assert.equal(cal.isWorkday('2026-09-20'), true, 'a Sunday made a working day');
  assert.equal(cal.isWorkday('2026-11-28'), false, 'an ordinary Saturday');
  assert.equal(cal.isWorkday('2026-11-30'), true);
  assert.ok(cal.coveredUntil >= 2026);
});

test('deadlines count working days and end at midnight China time', () => {
  // Raised on Wednesday 30 September 2026 (CST): 1–7 October are holidays; the five working days are 8 Oct (Thu),
  // 9 Oct (Fri), 10 Oct (a Saturday made a working day), 12 and 13 Oct.
  const due = cal.deadlineAfter(new Date('2026-09-30T03:00:00Z'), 5);
  assert.equal(due.toISOString(), '2026-10-13T16:00:00.000Z');
  // 23:30 UTC on 29 Sep is already 30 Sep in China.
  assert.equal(cstDate(new Date('2026-09-29T23:30:00Z')), '2026-09-30');
  assert.equal(
    cal.deadlineAfter(new Date('2026-11-27T02:00:00Z'), 1).toISOString(),
    '2026-11-30T16:00:00.000Z',
    'Friday + 1 = Monday',
  );
});

test('years the dataset does not know yet take configured dates', () => {
  const next = createWorkCalendar({ holidays: ['2027-01-01'], workdays: ['2027-01-02'] });
  assert.equal(next.isWorkday('2027-01-01'), false);
  assert.equal(next.isWorkday('2027-01-02'), true);
});

test('Spring Festival 2026: 15–23 February off, Saturdays 14 and 28 February worked', () => {
  assert.equal(cal.isWorkday('2026-02-14'), true, 'a Saturday made a working day before the festival');
  for (const d of ['2026-02-15', '2026-02-17', '2026-02-20', '2026-02-23']) assert.equal(cal.isWorkday(d), false, d);
  assert.equal(cal.isWorkday('2026-02-28'), true, 'a Saturday made a working day after it');
  // Applied on Friday 13 February with a 3-working-day promise: 14 Feb (make-up Saturday), 24 and 25 Feb.
  assert.equal(cal.deadlineAfter(new Date('2026-02-13T02:00:00Z'), 3).toISOString(), '2026-02-25T16:00:00.000Z');
  // 12 Feb → 2 Mar: 13, 14, 24, 25, 26, 27, 28 Feb and 2 Mar are working days.
  assert.equal(cal.workdaysBetween(new Date('2026-02-12T02:00:00Z'), new Date('2026-03-02T02:00:00Z')), 8);
});

test('counting working days between two moments across National Day', () => {
  // 30 Sep → 13 Oct: 8, 9, 10 (make-up), 12, 13 October.
  assert.equal(cal.workdaysBetween(new Date('2026-09-30T03:00:00Z'), new Date('2026-10-13T03:00:00Z')), 5);
  assert.equal(cal.workdaysBetween(new Date('2026-10-13T03:00:00Z'), new Date('2026-09-30T03:00:00Z')), 0);
  assert.equal(cal.workdaysBetween(new Date('2026-10-13T01:00:00Z'), new Date('2026-10-13T09:00:00Z')), 0, 'same day');
});
