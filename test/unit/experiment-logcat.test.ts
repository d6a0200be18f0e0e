import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSystemKills, systemKillKey } from '../../src/experiment-logcat.js';

// Constructed samples in the formats `logcat -v epoch` prints for lmkd's "lowmemorykiller" lines
// and its killinfo event (38 fields, lmkd.cpp killinfo_log order); not captured from a device.
const killinfo = (pid: number, adj: number, reason: number): string =>
  `[${pid},10105,${adj},701,184320,${reason},52340,612000,1024,2048,8192,0,1048576,204800,400000,380000,500000,420000,90000,70000,12000,30000,0,0,0,15,3,2,0,20480,0,12,40,25.50,9.25,1.00,0.00,3.10]`;

const SAMPLE = [
  '--------- beginning of main',
  ' 1700000123.456  1234  1234 I lowmemorykiller: Kill \'com.example.news\' (4567), uid 10105, oom_score_adj 905 to free 184320kB rss, 20480kB swap; reason: low watermark is breached and swap is low (102400kB < 157286kB)',
  '--------- beginning of events',
  ` 1700000123.457  1234  1234 I killinfo: ${killinfo(4567, 905, 3)}`,
  ' 1700000125.100  1234  1234 I lowmemorykiller: Kill \'com.example.chat\' (4601), uid 10106, oom_score_adj 700 to free 240000kB rss, 0kB swap; reason: device is low on swap (1024kB < 157286kB) and thrashing (120%)',
  ` 1700000130.000  1234  1234 I killinfo: ${killinfo(4700, 800, 8)}`,
  ' 1700000131.000  1234  1234 I ActivityManager: Process com.example.maps (pid 4711) has died: cch CEM',
].join('\n');

describe("the phone's own killer in logcat", () => {
  it('merges the log line and the killinfo event of one kill', () => {
    const kills = parseSystemKills(SAMPLE);
    assert.equal(kills.length, 3);
    const news = kills[0]!;
    assert.deepEqual(news, {
      deviceTimeMs: 1700000123456,
      pid: 4567,
      uid: 10105,
      name: 'com.example.news',
      adj: 905,
      minAdj: 701,
      rssKb: 184320,
      swapKb: 20480,
      reason: 'LOW_MEM_AND_SWAP',
      psiSomeAvg10: 25.5,
      psiFullAvg10: 9.25,
      sources: ['lowmemorykiller', 'killinfo'],
    });
  });

  it('keeps a kill seen only as a log line, or only as killinfo', () => {
    const [, chat, event] = parseSystemKills(SAMPLE);
    assert.equal(chat?.name, 'com.example.chat');
    assert.equal(chat?.reason, 'device is low on swap (1024kB < 157286kB) and thrashing (120%)');
    assert.deepEqual(chat?.sources, ['lowmemorykiller']);
    assert.equal(event?.name, null);
    assert.equal(event?.reason, 'LOW_MEM');
    assert.equal(event?.adj, 800);
  });

  it("reads Android 9's Killing lines and ignores other tags and headers", () => {
    const kills = parseSystemKills(" 1550000000.001   612   612 I lowmemorykiller: Killing 'com.example.game' (3001), uid 10150, adj 906\n 1550000000.002   612   612 I lowmemorykiller:    to free 60120kB because cache 100000kB is below limit 120000kB for oom_adj 906\n");
    assert.equal(kills.length, 1);
    assert.equal(kills[0]?.name, 'com.example.game');
    assert.equal(kills[0]?.adj, 906);
    assert.deepEqual(parseSystemKills('--------- beginning of system\nlogcat: Unknown buffer\n'), []);
  });

  it('a kill keeps its key across two reads of the same buffer', () => {
    const first = parseSystemKills(SAMPLE.split('\n').slice(0, 2).join('\n')).map(systemKillKey);
    const second = parseSystemKills(SAMPLE).map(systemKillKey);
    assert.ok(second.includes(first[0]!));
  });
});
