import { connect } from 'node:net';
import type { AdbServerAddress } from './server-address.js';

export type ProbeResult = { readonly ok: true } | { readonly ok: false; readonly code: string | undefined; readonly reason: string };

/**
 * Asks the server for its version (`host:version`, the smart-socket request every adb client
 * sends first): ok only if something answers OKAY there, so a port held by another program is
 * no adb server either.
 */
export function probeServer(address: AdbServerAddress, timeoutMs = 5_000): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host: address.host, port: address.port });
    let answer = Buffer.alloc(0);
    const finish = (result: ProbeResult): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ ok: false, code: 'ETIMEDOUT', reason: `no answer within ${timeoutMs / 1000} s` }), timeoutMs);
    socket.on('connect', () => socket.write('000chost:version'));
    socket.on('data', (data: Buffer) => {
      answer = Buffer.concat([answer, data]);
      if (answer.length < 4) return;
      const status = answer.subarray(0, 4).toString('latin1');
      finish(status === 'OKAY' ? { ok: true } : { ok: false, code: undefined, reason: `not an adb server (it answered ${JSON.stringify(status)})` });
    });
    socket.on('end', () => finish({ ok: false, code: undefined, reason: 'not an adb server (it closed the connection)' }));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      finish({ ok: false, code: error.code, reason: error.code === 'ECONNREFUSED' ? 'connection refused' : error.message }),
    );
  });
}
