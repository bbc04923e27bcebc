// A fixed-size history: pushing past the capacity drops the oldest sample, so memory stays flat
// however long vmtui runs.
export class Ring<T> {
  private items: T[] = [];
  private start = 0;

  constructor(private cap: number) {
    this.cap = Math.max(1, Math.floor(cap));
  }

  get capacity(): number {
    return this.cap;
  }

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    if (this.items.length < this.cap) this.items.push(item);
    else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.cap;
    }
  }

  /** Oldest first. */
  toArray(): T[] {
    return [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
  }

  /** Keeps the newest samples that fit the new capacity. */
  resize(capacity: number): void {
    const cap = Math.max(1, Math.floor(capacity));
    const items = this.toArray();
    this.items = items.slice(Math.max(0, items.length - cap));
    this.start = 0;
    this.cap = cap;
  }
}
