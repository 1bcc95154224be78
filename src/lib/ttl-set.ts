/**
 * A bounded in-memory set of keys that expire after a fixed time: which Slack deliveries this
 * process has already taken. One instance only: with several replicas behind a load balancer a
 * retry can land on another process, which would need a shared store (a table with a unique key).
 */
export class TtlSet {
  /** Insertion order is expiry order because every key lives for the same ttl. */
  private readonly expires = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxKeys: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds the key; false when it was already there and not expired. */
  add(key: string): boolean {
    const t = this.now();
    this.prune(t);
    const until = this.expires.get(key);
    if (until !== undefined && until > t) return false;
    this.expires.delete(key);
    this.expires.set(key, t + this.ttlMs);
    while (this.expires.size > this.maxKeys) {
      const oldest = this.expires.keys().next().value;
      if (oldest === undefined) break;
      this.expires.delete(oldest);
    }
    return true;
  }

  /** Forgets a key, so a retry of a delivery that failed is processed. */
  delete(key: string): void {
    this.expires.delete(key);
  }

  get size(): number {
    return this.expires.size;
  }

  private prune(t: number): void {
    for (const [key, until] of this.expires) {
      if (until > t) break;
      this.expires.delete(key);
    }
  }
}
