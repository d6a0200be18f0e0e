import { parsePsi, type Psi } from './psi.js';

/**
 * PSI sampled through a run by one long device shell that prints, every interval, a marker line
 * and then the pressure file:
 *
 *   @psi
 *   some avg10=0.52 avg60=0.20 avg300=0.05 total=1234567
 *   full avg10=0.10 avg60=0.04 avg300=0.01 total=234567
 *
 * The sample's time is when its marker arrived here. A block that does not parse (the file
 * vanished, a torn read) is dropped and counted.
 */

export const PSI_MARKER = '@psi';

export interface PsiStreamSample {
  readonly t: number;
  readonly psi: Psi;
}

export class PsiStreamParser {
  private block: string[] | undefined;
  private blockTime = 0;
  /** Blocks that were not valid PSI text. */
  bad = 0;

  /** Feeds one line received at time `now`; returns the sample completed by it, if any. */
  line(text: string, now: number): PsiStreamSample | undefined {
    const line = text.replace(/\r$/, '').trim();
    if (line === PSI_MARKER) {
      const done = this.flush();
      this.block = [];
      this.blockTime = now;
      return done;
    }
    if (this.block && line !== '') this.block.push(line);
    // Memory pressure files have both lines: a block is complete at its "full" line.
    if (this.block && line.startsWith('full ')) return this.flush();
    return undefined;
  }

  /** The sample in progress, if complete enough to parse (at the end of the stream). */
  flush(): PsiStreamSample | undefined {
    const block = this.block;
    this.block = undefined;
    if (!block || block.length === 0) return undefined;
    try {
      return { t: this.blockTime, psi: parsePsi(`${block.join('\n')}\n`, 'PSI sample') };
    } catch {
      this.bad++;
      return undefined;
    }
  }
}
