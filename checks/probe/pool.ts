export { mapPool } from "../pool.js";

/** A counting semaphore: `run` waits for one of `size` permits, holds it while `work` runs. */
export class Semaphore {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = Math.max(1, Math.floor(size));
  }

  async run<R>(work: () => Promise<R>): Promise<R> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

/**
 * One `Semaphore` of `size` permits per key, made when a key is first asked for and dropped when its
 * last holder is done (memory stays bounded by the keys in use, not the keys ever seen).
 */
export class KeyedSemaphore {
  private readonly gates = new Map<string, { gate: Semaphore; users: number }>();

  constructor(private readonly size: number) {}

  async run<R>(key: string, work: () => Promise<R>): Promise<R> {
    let entry = this.gates.get(key);
    if (entry === undefined) {
      entry = { gate: new Semaphore(this.size), users: 0 };
      this.gates.set(key, entry);
    }
    entry.users++;
    try {
      return await entry.gate.run(work);
    } finally {
      if (--entry.users === 0) this.gates.delete(key);
    }
  }
}
