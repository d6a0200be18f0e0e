/**
 * npm run device-sim -- [--port N] [--ram-mib N] [--zram-mib N] [--no-su] [--apps N] [--app-mib N]
 *                       [--open N] [--no-home] [--with-host-node] [--json] [--verbose]
 *
 * Boots the simulated phone in the foreground, registers it with the adb server and prints its
 * serial (or, with --json, one JSON line with serial, port, root, memcg, cgroup2 and zram).
 * Ctrl-C / SIGTERM takes everything down again.
 */
import { parseArgs } from 'node:util';
import { startPhone, type PhoneOptions } from './phone.js';

function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`${flag} wants a non-negative integer, got ${JSON.stringify(value)}`);
  return Number(value);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'ram-mib': { type: 'string' },
      'zram-mib': { type: 'string' },
      'no-su': { type: 'boolean', default: false },
      apps: { type: 'string' },
      'app-mib': { type: 'string' },
      open: { type: 'string' },
      'no-home': { type: 'boolean', default: false },
      'with-host-node': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const numbers = {
    port: integer(values.port, '--port'),
    ramMib: integer(values['ram-mib'], '--ram-mib'),
    zramMib: integer(values['zram-mib'], '--zram-mib'),
    apps: integer(values.apps, '--apps'),
    appMib: integer(values['app-mib'], '--app-mib'),
    openAtBoot: integer(values.open, '--open'),
  };
  const options: PhoneOptions = {
    ...Object.fromEntries(Object.entries(numbers).filter(([, value]) => value !== undefined)),
    su: !values['no-su'],
    home: !values['no-home'],
    withHostNode: values['with-host-node'],
    verbose: values.verbose,
  };
  const phone = await startPhone(options);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    phone.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`device-sim: cleanup failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ serial: phone.serial, port: phone.port, root: phone.rootDir, memcg: phone.memcgDir, cgroup2: phone.cgroup2Dir, zram: phone.zramDevice })}\n`,
    );
  } else {
    process.stdout.write(`${phone.serial}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`device-sim: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
