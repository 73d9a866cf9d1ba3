import assert from 'node:assert/strict';
import { test } from 'node:test';
import { followUpDate, fromLocalTime, localTime } from '../../core/engagement/follow-up/calendar.ts';

// 2030-01-04 is a Friday.
const friday = new Date('2030-01-04T15:30:00.000Z');

test('working days skip the weekend: Friday + 1 is Monday, + 3 is Wednesday', () => {
  assert.equal(followUpDate({ base: friday, rule: { businessDays: 1 } }).toISOString(), '2030-01-07T15:30:00.000Z');
  assert.equal(followUpDate({ base: friday, rule: { businessDays: 3 } }).toISOString(), '2030-01-09T15:30:00.000Z');
  assert.equal(followUpDate({ base: friday, rule: { businessDays: 5 } }).toISOString(), '2030-01-11T15:30:00.000Z');
});

test('zero working days from a Saturday is the Monday; calendar days do not skip weekends', () => {
  const saturday = new Date('2030-01-05T09:00:00.000Z');
  assert.equal(followUpDate({ base: saturday, rule: { businessDays: 0 } }).toISOString(), '2030-01-07T09:00:00.000Z');
  assert.equal(followUpDate({ base: friday, rule: { days: 1 } }).toISOString(), '2030-01-05T15:30:00.000Z');
});

test('the time of day is local to the time zone, and so is the day boundary', () => {
  // 23:30 UTC on Thursday is already Friday 02:30 in Moscow (UTC+3): one working day later is Monday there, Friday in UTC.
  const lateThursday = new Date('2030-01-03T23:30:00.000Z');
  assert.equal(followUpDate({ base: lateThursday, rule: { businessDays: 1, time: '10:00' }, timeZone: 'Europe/Moscow' }).toISOString(), '2030-01-07T07:00:00.000Z');
  assert.equal(followUpDate({ base: lateThursday, rule: { businessDays: 1, time: '10:00' }, timeZone: 'UTC' }).toISOString(), '2030-01-04T10:00:00.000Z');
});

test('local times convert across daylight-saving changes', () => {
  // Berlin: CET (UTC+1) in winter, CEST (UTC+2) from 2030-03-31.
  assert.equal(fromLocalTime({ year: 2030, month: 1, day: 15, hour: 9, minute: 0 }, 'Europe/Berlin').toISOString(), '2030-01-15T08:00:00.000Z');
  assert.equal(fromLocalTime({ year: 2030, month: 7, day: 15, hour: 9, minute: 0 }, 'Europe/Berlin').toISOString(), '2030-07-15T07:00:00.000Z');
  const friday29 = new Date('2030-03-29T08:00:00.000Z'); // 09:00 CET, Friday
  assert.equal(followUpDate({ base: friday29, rule: { businessDays: 1 }, timeZone: 'Europe/Berlin' }).toISOString(), '2030-04-01T07:00:00.000Z', 'still 09:00 local after the change');
  assert.deepEqual(localTime(new Date('2030-07-15T07:00:00.000Z'), 'Europe/Berlin'), { year: 2030, month: 7, day: 15, hour: 9, minute: 0, second: 0 });
});
