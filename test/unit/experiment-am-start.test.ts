import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAmStart } from '../../src/experiment-am-start.js';

// Constructed samples in the formats `am start -W` prints (Android 10+ and Android 9), written
// from ActivityManagerShellCommand's output; not captured from a device.

describe('am start -W output', () => {
  it('reads a cold launch on Android 10+', () => {
    const output = 'Starting: Intent { cmp=com.example.mail/.Main }\nStatus: ok\nLaunchState: COLD\nActivity: com.example.mail/.Main\nTotalTime: 812\nWaitTime: 815\nComplete\n';
    assert.deepEqual(parseAmStart(output, 0), {
      ok: true,
      status: 'ok',
      launchState: 'COLD',
      totalTimeMs: 812,
      waitTimeMs: 815,
      thisTimeMs: null,
      activity: 'com.example.mail/.Main',
      warnings: [],
      error: null,
    });
  });

  it('reads a warm launch with CRLF line ends (old adb shells)', () => {
    const result = parseAmStart('Starting: Intent { cmp=com.example.maps/.Main }\r\nStatus: ok\r\nLaunchState: WARM\r\nActivity: com.example.maps/.Main\r\nTotalTime: 143\r\nWaitTime: 150\r\nComplete\r\n', 0);
    assert.equal(result.ok, true);
    assert.equal(result.launchState, 'WARM');
    assert.equal(result.totalTimeMs, 143);
  });

  it('reads Android 9 output: ThisTime, no LaunchState', () => {
    const result = parseAmStart('Starting: Intent { cmp=com.example.news/.Main }\nStatus: ok\nActivity: com.example.news/.Main\nThisTime: 402\nTotalTime: 402\nWaitTime: 431\nComplete\n', 0);
    assert.equal(result.ok, true);
    assert.equal(result.launchState, null);
    assert.equal(result.thisTimeMs, 402);
  });

  it('an activity already in front: a warning, UNKNOWN (0) and only WaitTime, still a launch', () => {
    const output =
      'Starting: Intent { cmp=com.example.chat/.Main }\nWarning: Activity not started, intent has been delivered to currently running top-most instance.\nStatus: ok\nLaunchState: UNKNOWN (0)\nActivity: com.example.chat/.Main\nWaitTime: 4\nComplete\n';
    const result = parseAmStart(output, 0);
    assert.equal(result.ok, true);
    assert.equal(result.launchState, 'UNKNOWN');
    assert.equal(result.totalTimeMs, null);
    assert.equal(result.waitTimeMs, 4);
    assert.deepEqual(result.warnings, ['Activity not started, intent has been delivered to currently running top-most instance.']);
  });

  it('a missing activity is a failed launch with the error line', () => {
    const result = parseAmStart('Starting: Intent { cmp=com.example.nope/.Main }\nError type 3\nError: Activity class {com.example.nope/com.example.nope.Main} does not exist.\n', 1);
    assert.equal(result.ok, false);
    assert.match(result.error ?? '', /Activity class \{com\.example\.nope\/com\.example\.nope\.Main\} does not exist\./);
  });

  it('a timeout or an empty answer is a failed launch', () => {
    assert.equal(parseAmStart('Starting: Intent { cmp=a.b/.C }\nStatus: timeout\nLaunchState: COLD\nActivity: a.b/.C\nWaitTime: 10012\nComplete\n', 0).error, 'status timeout');
    assert.equal(parseAmStart('', 0).error, 'am printed no launch time');
    assert.match(parseAmStart('/system/bin/sh: am: inaccessible or not found\n', 127).error ?? '', /^am exited with code 127: /);
  });
});
