import { rmSync } from 'node:fs';
import type { Phone } from '../device-sim/phone.js';
import { killAdbServer } from './adb-server.js';

/**
 * Ends an end-to-end test file: stops whatever agent runs on the phone (through lmk, as a user
 * would), then the phone, the private adb server and the work folder, each even if the one
 * before failed.
 */
export async function tearDownPhone(phone: Phone | undefined, stopAgent: (serial: string) => Promise<unknown>, adbPort: number, work: string): Promise<void> {
  try {
    if (phone) await stopAgent(phone.serial);
  } finally {
    try {
      await phone?.stop();
    } finally {
      await killAdbServer(adbPort);
      rmSync(work, { recursive: true, force: true });
    }
  }
}
