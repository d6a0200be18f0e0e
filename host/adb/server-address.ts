import { CliError } from '../cli-error.js';

/** The adb server options every device command takes (commander: --adb-host, --adb-port). */
export interface AdbServerOptions {
  readonly adbHost?: string;
  /** From --adb-port or $ANDROID_ADB_SERVER_PORT (commander reads the env), as typed. */
  readonly adbPort?: string;
}

export interface AdbServerAddress {
  readonly host: string;
  readonly port: number;
}

export const DEFAULT_ADB_HOST = '127.0.0.1';
export const DEFAULT_ADB_PORT = 5037;

function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text.trim())) throw new CliError(`adb server port must be a number from 1 to 65535, not '${text}'`);
  const port = Number(text.trim());
  if (port < 1 || port > 65535) throw new CliError(`adb server port must be a number from 1 to 65535, not '${text}'`);
  return port;
}

/** Host names or IP literals only: the host goes into a TCP connect and into messages. */
function checkHost(host: string): string {
  if (!/^[A-Za-z0-9.:\-[\]%]+$/.test(host)) throw new CliError(`--adb-host '${host}' is not a host name or IP address`);
  return host.replace(/^\[(.*)\]$/, '$1');
}

/** Where the adb server is: the options, then $ANDROID_ADB_SERVER_PORT, then 127.0.0.1:5037. */
export function serverAddress(options: AdbServerOptions, env: NodeJS.ProcessEnv = process.env): AdbServerAddress {
  const portText = options.adbPort ?? env['ANDROID_ADB_SERVER_PORT'];
  return {
    host: checkHost(options.adbHost ?? DEFAULT_ADB_HOST),
    port: portText === undefined || portText === '' ? DEFAULT_ADB_PORT : parsePort(portText),
  };
}

/** Whether the server would run on this machine, so lmk may start it. */
export function isLocalHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function formatAddress(address: AdbServerAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
