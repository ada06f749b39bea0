import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../clock.js';
import { AutoGenerator } from './autogen.js';

const zeros = (bytes: Uint8Array) => bytes.fill(0);
const ones = (bytes: Uint8Array) => bytes.fill(0xff);
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('AutoGenerator', () => {
  it('lays out a UUIDv7 per RFC 9562 (48-bit ms, version 7, variant 10)', () => {
    // RFC 9562 appendix A.6 uses 2022-02-22T19:22:22Z = 0x017F22E279B0 ms.
    const gen = new AutoGenerator({ clock: new ManualClock(0x017f22e279b0), randomFill: zeros });
    assert.equal(gen.uuidv7(), '017f22e2-79b0-7000-8000-000000000000');
    const full = new AutoGenerator({ clock: new ManualClock(0x017f22e279b0), randomFill: ones });
    assert.equal(full.uuidv7(), '017f22e2-79b0-7fff-bfff-ffffffffffff');
  });

  it('encodes a ULID time part in Crockford base32 (the ULID spec example)', () => {
    const gen = new AutoGenerator({ clock: new ManualClock(1469918176385), randomFill: zeros });
    assert.equal(gen.ulid(), '01ARYZ6S410000000000000000');
  });

  it('keeps ids strictly increasing while the clock stands still or steps back', () => {
    const clock = new ManualClock(1_700_000_000_000);
    const gen = new AutoGenerator({ clock });
    const uuids: string[] = [];
    const ulids: string[] = [];
    for (let i = 0; i < 500; i++) {
      uuids.push(gen.uuidv7());
      ulids.push(gen.ulid());
      if (i === 250) clock.advance(-5);
    }
    for (const ids of [uuids, ulids]) {
      for (let i = 1; i < ids.length; i++) assert.ok((ids[i - 1] as string) < (ids[i] as string), `${i}`);
    }
    assert.ok(uuids.every((u) => UUID_V7.test(u)));
    assert.ok(ulids.every((u) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(u)));
  });

  it('carries the counter across bytes without touching version or variant bits', () => {
    const fill = (bytes: Uint8Array) => {
      bytes.fill(0xff);
      bytes[0] = 0;
      bytes[1] = 0;
    };
    const gen = new AutoGenerator({ clock: new ManualClock(1), randomFill: fill });
    const first = gen.uuidv7();
    const second = gen.uuidv7();
    assert.equal(first, '00000000-0001-7000-bfff-ffffffffffff');
    assert.equal(second, '00000000-0001-7001-8000-000000000000');
  });

  it('takes timestamps from the injected clock, in micro- and milliseconds', () => {
    const gen = new AutoGenerator({ clock: new ManualClock(1_767_225_600_123) });
    assert.equal(gen.generate('now_micros'), 1_767_225_600_123_000);
    assert.equal(gen.generate('now_millis'), 1_767_225_600_123);
  });

  it('gives real microseconds without a clock, close to Date.now()', () => {
    const micros = new AutoGenerator().nowMicros();
    assert.ok(Number.isSafeInteger(micros));
    assert.ok(Math.abs(micros / 1000 - Date.now()) < 5_000);
  });
});
