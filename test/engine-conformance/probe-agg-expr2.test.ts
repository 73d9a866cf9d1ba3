/**
 * More aggregation-expression probes against the MongoDB 7.0 operator reference:
 * $dateTrunc (zones, bins, weeks), $dateFromParts (ISO and carried parts), $convert,
 * $concat/$split errors, $binarySize/$bsonSize.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Long, type Document } from 'mongodb';
import { openHarness, closeHarness, expectServerError, type Harness } from './harness.ts';

describe('probe: aggregation expressions (2)', () => {
  let h: Harness;
  before(async () => {
    h = await openHarness('probe_agg_expr2');
    await h.db.collection('one').insertOne({ _id: 1, d: new Date('2024-03-10T15:04:05.678Z') } as Document);
  });
  after(async () => {
    await closeHarness(h);
  });

  async function evaluate(fields: Document): Promise<Document> {
    const [out] = await h.db.collection('one').aggregate([{ $project: { _id: 0, ...fields } }]).toArray();
    return out;
  }

  // $dateTrunc: any Olson zone; bins counted from 2000-01-01 (weeks: from 2000-01-02, a Sunday).
  it('$dateTrunc with a three-part zone, hour bins and two-week bins', async () => {
    const out = await evaluate({
      ba: { $dateTrunc: { date: '$d', unit: 'day', timezone: 'America/Argentina/Buenos_Aires' } },
      h2: { $dateTrunc: { date: '$d', unit: 'hour', binSize: 2 } },
      w2: { $dateTrunc: { date: '$d', unit: 'week', binSize: 2 } },
      mon: { $dateTrunc: { date: '$d', unit: 'week', startOfWeek: 'Monday' } },
      q: { $dateTrunc: { date: '$d', unit: 'quarter' } },
      nul: { $dateTrunc: { date: '$missing', unit: 'day' } },
    });
    assert.deepEqual(out, {
      ba: new Date('2024-03-10T03:00:00Z'),
      h2: new Date('2024-03-10T14:00:00Z'),
      w2: new Date('2024-03-10T00:00:00Z'),
      mon: new Date('2024-03-04T00:00:00Z'),
      q: new Date('2024-01-01T00:00:00Z'),
      nul: null,
    });
  });

  // $dateFromParts: ISO week date form, out-of-range parts carried, timezone.
  it('$dateFromParts ISO form, carried parts and a timezone', async () => {
    const out = await evaluate({
      iso: { $dateFromParts: { isoWeekYear: 2024, isoWeek: 10, isoDayOfWeek: 7 } },
      carry: { $dateFromParts: { year: 2024, month: 1, day: 32, hour: 25 } },
      tz: { $dateFromParts: { year: 2024, month: 3, day: 10, timezone: 'America/New_York' } },
    });
    assert.deepEqual(out, {
      iso: new Date('2024-03-10T00:00:00Z'),
      carry: new Date('2024-02-02T01:00:00Z'),
      tz: new Date('2024-03-10T05:00:00Z'),
    });
    await expectServerError(evaluate({ x: { $dateFromParts: { year: 2024, isoWeek: 1 } } }), 40489);
  });

  // $convert: to as a name or a number, onError, onNull; a failed conversion is 241 ConversionFailure.
  it('$convert', async () => {
    const [out] = await h.db
      .collection('one')
      .aggregate(
        [
          {
            $project: {
              _id: 0,
              a: { $convert: { input: '12', to: 'int' } },
              b: { $convert: { input: '12', to: 18 } },
              c: { $convert: { input: 'x', to: 'int', onError: -1 } },
              e: { $convert: { input: '$missing', to: 'int', onNull: 0 } },
              f: { $convert: { input: 1, to: 'bool' } },
              g: { $convert: { input: '2024-01-01', to: 'date' } },
            },
          },
        ],
        { promoteLongs: false },
      )
      .toArray();
    assert.equal(out.a, 12);
    assert.ok(out.b instanceof Long);
    assert.deepEqual({ c: out.c, e: out.e, f: out.f, g: out.g }, { c: -1, e: 0, f: true, g: new Date('2024-01-01T00:00:00Z') });
    await expectServerError(evaluate({ x: { $convert: { input: 'x', to: 'int' } } }), 241);
    await expectServerError(evaluate({ x: { $convert: { input: { a: 1 }, to: 'int' } } }), 241);
  });

  // $concat of a non-string is 16702; $split with an empty separator is 40087.
  it('$concat and $split errors', async () => {
    await expectServerError(evaluate({ x: { $concat: ['a', 5] } }), 16702);
    await expectServerError(evaluate({ x: { $split: ['abc', ''] } }), 40087);
    assert.deepEqual(await evaluate({ x: { $concat: ['a', '$missing'] } }), { x: null });
  });

  // $binarySize counts UTF-8 bytes; $bsonSize the encoded size of a document.
  it('$binarySize and $bsonSize', async () => {
    assert.deepEqual(await evaluate({ b: { $binarySize: 'hé' }, s: { $bsonSize: { $literal: { a: 1 } } }, n: { $bsonSize: null } }), { b: 3, s: 12, n: null });
  });
});
