/**
 * Bounds the bytes of observation copies in flight (copied for a job, not
 * yet replied): a job waits while others hold `limit` bytes, and always
 * goes when none are in flight, so a huge instance still runs, alone.
 * Queuing jobs in the workers ahead of time pays for itself on small
 * instances; on instances of hundreds of MB it would mostly cost memory.
 */
export class ByteGate {
  private used = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /** Resolves once `bytes` more fit (or nothing else is in flight). */
  async take(bytes: number): Promise<void> {
    while (this.used > 0 && this.used + bytes > this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.used += bytes;
  }

  give(bytes: number): void {
    this.used -= bytes;
    for (const wake of this.waiting.splice(0)) wake();
  }

  /** Bytes in flight now. */
  get inFlight(): number {
    return this.used;
  }
}
