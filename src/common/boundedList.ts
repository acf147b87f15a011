/** A cap on the total size of a list's items, as the list's owner measures them. */
export interface ByteBudget<T> {
  readonly maxBytes: number;
  /** The item's size; must return the same number every time for the same item. */
  readonly sizeOf: (item: T) => number;
}

/**
 * A list that keeps only its newest `capacity` items (and, with a byte budget, only as many newest items
 * as fit in it): pushing past a cap drops the oldest. Dropping is O(1) amortised (a start index,
 * compacted now and then), which matters for logs that stream tens of thousands of lines per second.
 */
export class BoundedList<T> {
  /** Dropped slots are set to undefined at once, so a dropped item's memory is freed before compaction. */
  private items: (T | undefined)[] = [];
  private start = 0;
  private bytes = 0;

  constructor(
    readonly capacity: number,
    private readonly budget?: ByteBudget<T>,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('A bounded list needs a capacity of at least 1.');
    if (budget !== undefined && !(budget.maxBytes >= 1)) throw new RangeError('A bounded list needs a byte budget of at least 1.');
  }

  /** Number of items kept. */
  get length(): number {
    return this.items.length - this.start;
  }

  /** Total size of the kept items (0 without a byte budget). */
  get byteSize(): number {
    return this.bytes;
  }

  /**
   * Adds an item, dropping the oldest ones until both caps hold; returns how many were dropped. An item
   * larger than the whole byte budget is not kept at all (it counts as dropped), so the budget always holds.
   */
  push(item: T): number {
    const size = this.budget ? this.budget.sizeOf(item) : 0;
    if (this.budget && size > this.budget.maxBytes) return 1;
    this.items.push(item);
    this.bytes += size;
    let dropped = 0;
    // Each pass drops one kept item, so the loop ends within `length` passes.
    while (this.length > this.capacity || (this.budget && this.bytes > this.budget.maxBytes)) {
      this.dropOldest();
      dropped++;
    }
    // Compact once the dead prefix is as long as the live part, so the array stays about 2× what is kept.
    if (dropped > 0 && this.start >= this.length) {
      this.items = this.items.slice(this.start);
      this.start = 0;
    }
    return dropped;
  }

  /** Removes everything. */
  clear(): void {
    this.items = [];
    this.start = 0;
    this.bytes = 0;
  }

  /** The kept items, oldest first (a copy). */
  toArray(): T[] {
    return this.items.slice(this.start) as T[];
  }

  /** Visits the kept items, oldest first. */
  forEach(visit: (item: T) => void): void {
    for (let i = this.start; i < this.items.length; i++) visit(this.items[i] as T);
  }

  private dropOldest(): void {
    const oldest = this.items[this.start] as T;
    if (this.budget) this.bytes -= this.budget.sizeOf(oldest);
    this.items[this.start] = undefined;
    this.start++;
  }
}
