export class EndOfStream extends Error {
  constructor() {
    super('stream closed');
  }
}

const HIGH_WATER = 1024 * 1024;

/**
 * Turns a stream's incoming chunks into "read exactly n bytes" calls. push() resolves once the
 * buffer is below a high-water mark, so the stream withholds its OKAY while the consumer lags.
 */
export class ByteReader {
  private chunks: Buffer[] = [];
  private length = 0;
  private ended = false;
  private reader: { n: number; resolve: (data: Buffer) => void; reject: (error: Error) => void } | undefined;
  private spaceWaiters: Array<() => void> = [];

  push(data: Buffer): Promise<void> {
    if (this.ended) return Promise.resolve();
    this.chunks.push(data);
    this.length += data.length;
    this.serve();
    if (this.length <= HIGH_WATER) return Promise.resolve();
    return new Promise((resolve) => this.spaceWaiters.push(resolve));
  }

  end(): void {
    this.ended = true;
    this.serve();
    this.wakeSpaceWaiters();
  }

  read(n: number): Promise<Buffer> {
    if (this.reader) return Promise.reject(new Error('concurrent read'));
    return new Promise((resolve, reject) => {
      this.reader = { n, resolve, reject };
      this.serve();
    });
  }

  private serve(): void {
    const reader = this.reader;
    if (!reader) return;
    if (this.length >= reader.n) {
      this.reader = undefined;
      reader.resolve(this.take(reader.n));
      if (this.length <= HIGH_WATER) this.wakeSpaceWaiters();
    } else if (this.ended) {
      this.reader = undefined;
      reader.reject(new EndOfStream());
    }
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.length = rest.length;
    return out;
  }

  private wakeSpaceWaiters(): void {
    const waiters = this.spaceWaiters;
    this.spaceWaiters = [];
    for (const wake of waiters) wake();
  }
}
