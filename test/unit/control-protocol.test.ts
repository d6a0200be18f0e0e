import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MAX_MESSAGE_BYTES,
  StatusReplySchema,
  StatusSchema,
  StreamMessageSchema,
  controlSocketPath,
  encodeMessage,
  errorReply,
  isReply,
  okReply,
  parseRequest,
  parseServerMessage,
} from '../../src/control-protocol.js';

const status = {
  version: '0.1.0',
  uptimeMs: 1000,
  pid: 1,
  config: {},
  counters: { kills: 0, byBand: {}, dryRunDecisions: 0, reapFailures: 0 },
  recentKills: [],
  psi: null,
  reaperCpus: [],
  reaping: false,
  scope: 'system',
};

describe('parseRequest', () => {
  it('accepts the four commands, with or without an id', () => {
    assert.deepEqual(parseRequest('{"cmd":"status"}'), { ok: true, request: { cmd: 'status' } });
    assert.deepEqual(parseRequest('{"id":1,"cmd":"subscribe"}'), { ok: true, request: { id: 1, cmd: 'subscribe' } });
    assert.deepEqual(parseRequest('{"id":"a","cmd":"stop"}'), { ok: true, request: { id: 'a', cmd: 'stop' } });
    assert.deepEqual(parseRequest('{"cmd":"reload","config":{"dryRun":true,"psi":{"some":{"stallMs":70}}}}'), {
      ok: true,
      request: { cmd: 'reload', config: { dryRun: true, psi: { some: { stallMs: 70 } } } },
    });
  });

  it('leaves config validation to the agent: any JSON object passes', () => {
    const parsed = parseRequest('{"cmd":"reload","config":{"nonsense":[1,2,{"x":null}]}}');
    assert.ok(parsed.ok);
  });

  it('drops fields a request does not have', () => {
    assert.deepEqual(parseRequest('{"cmd":"status","verbose":true}'), { ok: true, request: { cmd: 'status' } });
  });

  it('refuses text that is not JSON, on one line', () => {
    const parsed = parseRequest('{"cmd":');
    assert.equal(parsed.ok, false);
    if (!parsed.ok) {
      assert.match(parsed.error, /^not JSON: /);
      assert.ok(!parsed.error.includes('\n'));
    }
  });

  it('refuses JSON that is not an object', () => {
    for (const line of ['[]', '"status"', '42', 'null']) {
      assert.deepEqual(parseRequest(line), { ok: false, error: 'a request must be a JSON object' }, line);
    }
  });

  it('refuses a missing, non-string or unknown cmd, keeping the id for the reply', () => {
    assert.deepEqual(parseRequest('{"id":3}'), { ok: false, error: 'missing cmd', id: 3 });
    assert.deepEqual(parseRequest('{"id":"x","cmd":7}'), { ok: false, error: 'cmd must be a string', id: 'x' });
    assert.deepEqual(parseRequest('{"cmd":"reboot"}'), { ok: false, error: 'unknown cmd "reboot" (expected status, subscribe, reload, stop)' });
    assert.deepEqual(parseRequest('{"cmd":"__proto__"}'), { ok: false, error: 'unknown cmd "__proto__" (expected status, subscribe, reload, stop)' });
  });

  it('refuses wrong types with the path of the bad field', () => {
    assert.deepEqual(parseRequest('{"id":true,"cmd":"status"}'), { ok: false, error: 'bad status request: id: expected a string or a number' });
    assert.deepEqual(parseRequest('{"id":9,"cmd":"reload"}'), { ok: false, error: 'bad reload request: config: expected a JSON object', id: 9 });
    assert.deepEqual(parseRequest('{"cmd":"reload","config":"x"}'), { ok: false, error: 'bad reload request: config: expected a JSON object' });
    assert.deepEqual(parseRequest('{"cmd":"reload","config":[]}'), { ok: false, error: 'bad reload request: config: expected a JSON object' });
    assert.deepEqual(parseRequest('{"cmd":"reload","config":null}'), { ok: false, error: 'bad reload request: config: expected a JSON object' });
  });

  it('keeps a long unknown cmd out of the error', () => {
    const parsed = parseRequest(JSON.stringify({ cmd: 'x'.repeat(10_000) }));
    assert.ok(!parsed.ok && parsed.error.length < 200);
  });
});

describe('replies and stream messages', () => {
  it('builds ok and error replies, with the id only when there was one', () => {
    assert.deepEqual(okReply(undefined), { ok: true });
    assert.deepEqual(okReply(4, { a: 1 }), { id: 4, a: 1, ok: true });
    assert.deepEqual(okReply('q', { ok: false, id: 'other', b: 2 }), { id: 'q', b: 2, ok: true }, 'a payload cannot override ok or id');
    assert.deepEqual(errorReply(undefined, 'bad\nthing'), { ok: false, error: 'bad thing' });
    assert.deepEqual(errorReply(1, ''), { id: 1, ok: false, error: 'error' });
  });

  it('encodes one message per line', () => {
    assert.equal(encodeMessage({ ok: true, text: 'a\nb' }), '{"ok":true,"text":"a\\nb"}\n');
  });

  it('tells replies from stream messages', () => {
    const reply = parseServerMessage('{"id":1,"ok":false,"error":"no"}');
    assert.ok(reply.ok && isReply(reply.message));
    const event = parseServerMessage('{"event":"kill","record":{"pid":1}}');
    assert.ok(event.ok && !isReply(event.message));
    assert.equal(parseServerMessage('{"ok":false}').ok, false, 'an error reply needs its error');
    assert.equal(parseServerMessage('{"event":5}').ok, false);
    assert.equal(parseServerMessage('{}').ok, false);
    assert.equal(parseServerMessage('nope').ok, false);
  });

  it('keeps stream messages generic: any object with a string event', () => {
    assert.deepEqual(StreamMessageSchema.parse({ event: 'future', x: [1] }), { event: 'future', x: [1] });
    assert.equal(StreamMessageSchema.safeParse({ record: {} }).success, false);
  });
});

describe('StatusSchema', () => {
  it('accepts a status and keeps fields from newer agents', () => {
    assert.deepEqual(StatusSchema.parse({ ...status, triggers: ['some 70000 1000000'] }), { ...status, triggers: ['some 70000 1000000'] });
    assert.deepEqual(StatusReplySchema.parse({ id: 2, ok: true, ...status }), { id: 2, ok: true, ...status });
    assert.equal(StatusSchema.parse({ ...status, psi: { someAvg10: 1.5, fullAvg10: 0 } }).psi?.someAvg10, 1.5);
  });

  it('refuses a status with missing or mistyped fields', () => {
    const { scope: _scope, ...noScope } = status;
    assert.equal(StatusSchema.safeParse(noScope).success, false);
    assert.equal(StatusSchema.safeParse({ ...status, counters: { ...status.counters, kills: -1 } }).success, false);
    assert.equal(StatusSchema.safeParse({ ...status, reaperCpus: [0.5] }).success, false);
    assert.equal(StatusSchema.safeParse({ ...status, psi: { someAvg10: 1 } }).success, false);
  });
});

describe('constants', () => {
  it('bounds a message at 64 KiB', () => {
    assert.equal(MAX_MESSAGE_BYTES, 65536);
  });

  it('puts the socket in the state directory', () => {
    assert.equal(controlSocketPath('/run/lmk'), '/run/lmk/control.sock');
    assert.equal(controlSocketPath('/run/lmk/'), '/run/lmk/control.sock');
    assert.equal(controlSocketPath('/'), '/control.sock');
    assert.equal(controlSocketPath('state'), 'state/control.sock');
  });
});
