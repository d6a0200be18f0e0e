import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** The agent's log: one JSON object per line on stdout (pino), ISO times. */
export function createLogger(level = process.env['LMK_LOG_LEVEL'] ?? 'info'): Logger {
  return pino({ level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ fd: 1, sync: true }));
}
