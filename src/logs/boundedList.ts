/**
 * A list that keeps only its newest `capacity` items: pushing past the cap drops the oldest.
 * Dropping is O(1) amortised (a start index, compacted now and then), which matters for logs that
 * stream tens of thousands of lines per second.
 */
export class BoundedList<T> {
  private items: T[] = [];
  private start = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('A bounded list needs a capacity of at least 1.');
  }

  /** Number of items kept. */
  get length(): number {
    return this.items.length - this.start;
  }

  /** Adds an item, dropping the oldest when full; returns how many were dropped (0 or 1). */
  push(item: T): number {
    this.items.push(item);
    if (this.items.length - this.start <= this.capacity) return 0;
    this.start++;
    // Compact once the dead prefix is as long as the live part, so memory stays about 2× the cap.
    if (this.start >= this.capacity) {
      this.items = this.items.slice(this.start);
      this.start = 0;
    }
    return 1;
  }

  /** Removes everything. */
  clear(): void {
    this.items = [];
    this.start = 0;
  }

  /** The kept items, oldest first (a copy). */
  toArray(): T[] {
    return this.items.slice(this.start);
  }

  /** Visits the kept items, oldest first. */
  forEach(visit: (item: T) => void): void {
    for (let i = this.start; i < this.items.length; i++) visit(this.items[i]);
  }
}
