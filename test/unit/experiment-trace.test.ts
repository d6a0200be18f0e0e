import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseExperimentRecords } from '../../src/experiment-record.js';
import type { CompleteEvent, CounterEvent, InstantEvent, TraceEvent } from '../../src/trace-format.js';
import { experimentTrace, KILL_TIDS, TRACE_PIDS } from '../../src/trace-experiment.js';
import { sampleRecordsText, T0 } from '../support/experiment-records.js';

describe('trace.json (Chrome/Perfetto JSON trace format)', () => {
  const records = parseExperimentRecords(sampleRecordsText());
  const trace = JSON.parse(JSON.stringify(experimentTrace(records))) as { traceEvents: TraceEvent[]; displayTimeUnit: string };
  const events = trace.traceEvents;
  const launches = events.filter((e): e is CompleteEvent => e.ph === 'X' && e.cat?.startsWith('launch') === true);
  const kills = events.filter((e): e is InstantEvent => e.ph === 'i');
  const counters = events.filter((e): e is CounterEvent => e.ph === 'C');

  it('is a JSON object with traceEvents, every event with a phase, a pid and integer µs timestamps', () => {
    assert.equal(trace.displayTimeUnit, 'ms');
    for (const event of events) {
      assert.ok(['X', 'i', 'C', 'M'].includes(event.ph), JSON.stringify(event));
      assert.equal(typeof event.pid, 'number');
      if (event.ph !== 'M') assert.ok(Number.isInteger(event.ts) && event.ts >= 0, JSON.stringify(event));
      if (event.ph === 'X') assert.ok(Number.isInteger(event.dur) && event.dur >= 0);
    }
  });

  it('holds every launch as a complete slice on its arm\'s track, at the device\'s boot time', () => {
    assert.equal(launches.length, records.launches.length);
    const first = launches.find((e) => e.args?.['round'] === 1 && e.name === 'com.example.mail COLD');
    assert.ok(first);
    // deviceUptimeOffsetMs = 5,000,000 − T0: the launch at T0 + 1500 is at boot time 5,001.5 s.
    assert.equal(first.ts, 5_001_500_000);
    assert.equal(first.dur, 800_000);
    assert.equal(first.tid, 1, 'arm cpu0 is thread 1');
    assert.ok(launches.some((e) => e.name === 'com.example.maps FAILED' && e.tid === 2));
    const names = events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => (e.args as { name: string }).name);
    assert.ok(names.includes('launches: cpu0') && names.includes('launches: none'));
  });

  it('holds every kill as an instant event: lmk and the phone\'s killer on their own tracks', () => {
    assert.equal(kills.length, records.lmkKills.length + records.systemKills.length);
    assert.ok(kills.every((e) => e.s === 't' && e.pid === TRACE_PIDS.kills));
    assert.equal(kills.filter((e) => e.tid === KILL_TIDS.lmk).length, 4);
    const system = kills.find((e) => e.tid === KILL_TIDS.system);
    assert.equal(system?.name, 'kill com.example.news');
    assert.equal(system?.ts, (8000 + 5_000_000) * 1000);
  });

  it('holds PSI as counter tracks: avg10 and stall ms/s', () => {
    const avg = counters.filter((e) => e.name === 'memory PSI avg10 %');
    assert.equal(avg.length, records.psi.length);
    const rate = counters.filter((e) => e.name === 'memory stall ms/s');
    assert.equal(rate.length, records.psi.length - 1);
    // Inside a cpu0 window: 10 ms of "some" stall per 500 ms sample = 20 ms/s.
    const inside = rate.find((e) => e.ts === (1500 + 5_000_000) * 1000);
    assert.deepEqual(inside?.args, { some: 20, full: 2 });
  });

  it('uses µs since the run started when the device\'s uptime is unknown', () => {
    const text = sampleRecordsText().replace(/"deviceUptimeOffsetMs":-?\d+/, '"deviceUptimeOffsetMs":null');
    const trace2 = experimentTrace(parseExperimentRecords(text));
    const launch = trace2.traceEvents.find((e) => e.ph === 'X' && e.cat === 'launch');
    assert.equal(launch?.ts, 1_500_000);
    assert.ok(T0 > 0);
  });
});
