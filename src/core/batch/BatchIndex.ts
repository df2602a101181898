import type { WorkItem } from '../run/WorkItem';

/** A work item without its prompt (the index keeps one per item, never the rendered messages). */
export type IndexedItem = Omit<WorkItem, 'messages' | 'personaValues'>;

/**
 * Every planned sample of an experiment by request hash, with a done bit, in compact form (a hash map to a
 * dense sample number, two small-integer arrays and a byte array): what an import checks each output line
 * against (is the custom_id known, is the sample already answered) without a set of records in memory.
 */
export class BatchIndex {
  private readonly refs = new Map<string, number>();
  private readonly itemOf: number[] = [];
  private readonly positionOf: number[] = [];
  private readonly items: IndexedItem[] = [];
  private done = new Uint8Array(1024);
  private doneCount = 0;

  static build(items: Iterable<WorkItem>): BatchIndex {
    const index = new BatchIndex();
    for (const item of items) {
      const { messages: _m, personaValues: _p, ...shell } = item;
      const i = index.items.push(shell) - 1;
      item.samples.forEach((s, position) => {
        if (index.refs.has(s.hash)) return; // the same request twice in one plan: answered once
        index.refs.set(s.hash, index.itemOf.length);
        index.itemOf.push(i);
        index.positionOf.push(position);
      });
    }
    if (index.done.length < index.itemOf.length) index.done = new Uint8Array(index.itemOf.length);
    return index;
  }

  get size(): number {
    return this.itemOf.length;
  }

  get pendingCount(): number {
    return this.itemOf.length - this.doneCount;
  }

  /** The sample a hash names: its item and its position in `item.samples`. */
  lookup(hash: string): { ref: number; item: IndexedItem; position: number } | undefined {
    const ref = this.refs.get(hash);
    if (ref === undefined) return undefined;
    return { ref, item: this.items[this.itemOf[ref]], position: this.positionOf[ref] };
  }

  isDone(hash: string): boolean {
    const ref = this.refs.get(hash);
    return ref !== undefined && this.done[ref] === 1;
  }

  /** Marks a sample answered; false when it was already (or is not planned). */
  markDone(hash: string): boolean {
    const ref = this.refs.get(hash);
    if (ref === undefined || this.done[ref]) return false;
    this.done[ref] = 1;
    this.doneCount++;
    return true;
  }

  /** Samples not answered yet (for the report and re-export). */
  *pending(): Generator<{ item: IndexedItem; sample: number; hash: string }> {
    for (let ref = 0; ref < this.itemOf.length; ref++) {
      if (this.done[ref]) continue;
      const s = this.items[this.itemOf[ref]].samples[this.positionOf[ref]];
      yield { item: this.items[this.itemOf[ref]], sample: s.sample, hash: s.hash };
    }
  }
}
