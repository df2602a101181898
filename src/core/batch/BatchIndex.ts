import type { WorkItem } from '../run/WorkItem';
import { RequestHashTable } from './RequestHashTable';

/** A work item without its prompt and samples (the index keeps one per item; samples are in typed arrays). */
export type IndexedItem = Omit<WorkItem, 'messages' | 'personaValues' | 'samples'> & {
  /** Reference of the item's first sample; sample i of the item is `firstRef + i`. */
  firstRef: number;
  sampleCount: number;
};

/** One planned sample of an item. */
export interface IndexedSample {
  sample: number;
  hash: string;
  /** Id of the hash (`markDoneId`); two items with the same prompt share it. */
  id: number;
}

/**
 * Every planned sample of an experiment by request hash, with a done bit per hash, in compact form (a typed
 * hash table and a few integer arrays; ~50 bytes per sample): what an import checks each output line against
 * (is the custom_id known, is the sample answered) without a record or a hash string per sample in memory.
 * A hash planned twice (two respondents with the same prompt) is answered once, as in a live run.
 */
export class BatchIndex {
  private readonly hashes = new RequestHashTable();
  private readonly items: IndexedItem[] = [];
  /** Per reference (item × sample position). */
  private itemOf = new Int32Array(1024);
  private sampleOf = new Int32Array(1024);
  private idOf = new Int32Array(1024);
  /** The next reference with the same hash (another item with the identical prompt), or -1. */
  private nextRefOf = new Int32Array(1024);
  /** Per hash id. */
  private firstRefOf = new Int32Array(1024);
  private lastRefOf = new Int32Array(1024);
  private done = new Uint8Array(1024);
  private refs = 0;
  private doneCount = 0;

  static build(items: Iterable<WorkItem>): BatchIndex {
    const index = new BatchIndex();
    for (const item of items) index.add(item);
    return index;
  }

  private add(item: WorkItem): void {
    const { samples } = item;
    // A literal, not a rest/spread copy: those make dictionary-mode objects, 4× the size (~90 MB per 200k items).
    const shell: IndexedItem = {
      condition: item.condition, model: item.model, lang: item.lang, personaId: item.personaId, questionId: item.questionId,
      variant: item.variant, options: item.options, firstRef: this.refs, sampleCount: samples.length,
    };
    const i = this.items.push(shell) - 1;
    for (const s of samples) {
      const ref = this.refs++;
      if (ref >= this.itemOf.length) {
        this.itemOf = grow(this.itemOf);
        this.sampleOf = grow(this.sampleOf);
        this.idOf = grow(this.idOf);
        this.nextRefOf = grow(this.nextRefOf);
      }
      const before = this.hashes.size;
      const id = this.hashes.add(s.hash);
      if (id === before) {
        if (id >= this.firstRefOf.length) {
          this.firstRefOf = grow(this.firstRefOf);
          this.lastRefOf = grow(this.lastRefOf);
          this.done = grow(this.done);
        }
        this.firstRefOf[id] = ref;
      } else this.nextRefOf[this.lastRefOf[id]] = ref;
      this.lastRefOf[id] = ref;
      this.nextRefOf[ref] = -1;
      this.itemOf[ref] = i;
      this.sampleOf[ref] = s.sample;
      this.idOf[ref] = id;
    }
  }

  /** Distinct planned hashes. */
  get size(): number {
    return this.hashes.size;
  }

  get pendingCount(): number {
    return this.hashes.size - this.doneCount;
  }

  /** The sample a hash names (its first planning when planned twice): its item and its position in the item. */
  lookup(hash: string): { item: IndexedItem; position: number } | undefined {
    const id = this.hashes.id(hash);
    if (id < 0) return undefined;
    const ref = this.firstRefOf[id];
    const item = this.items[this.itemOf[ref]];
    return { item, position: ref - item.firstRef };
  }

  /** Sample `position` of an item; `hash`, when the caller has it (the line's custom_id), saves rebuilding it. */
  sampleAt(item: IndexedItem, position: number, hash?: string): IndexedSample {
    const ref = item.firstRef + position;
    const id = this.idOf[ref];
    return { sample: this.sampleOf[ref], hash: hash ?? this.hashes.hashOf(id), id };
  }

  /**
   * The other samples planned with the same request hash as sample `position` of `item` (identical prompts of other
   * items): one batch line answers them all, as one cached answer would.
   */
  *sharing(item: IndexedItem, position: number): Generator<{ item: IndexedItem; sample: IndexedSample }> {
    const first = this.firstRefOf[this.idOf[item.firstRef + position]];
    for (let ref = first; ref >= 0; ref = this.nextRefOf[ref]) {
      if (ref === item.firstRef + position) continue;
      const other = this.items[this.itemOf[ref]];
      yield { item: other, sample: this.sampleAt(other, ref - other.firstRef) };
    }
  }

  /** Every sample planned with this request hash (the items whose prompt is identical), in plan order. */
  *samplesOf(hash: string): Generator<{ item: IndexedItem; sample: IndexedSample }> {
    const id = this.hashes.id(hash);
    if (id < 0) return;
    for (let ref = this.firstRefOf[id]; ref >= 0; ref = this.nextRefOf[ref]) {
      const item = this.items[this.itemOf[ref]];
      yield { item, sample: this.sampleAt(item, ref - item.firstRef) };
    }
  }

  isDone(hash: string): boolean {
    const id = this.hashes.id(hash);
    return id >= 0 && this.done[id] === 1;
  }

  /** Marks a sample answered; false when it was already (or is not planned). */
  markDone(hash: string): boolean {
    const id = this.hashes.id(hash);
    return id >= 0 && this.markDoneId(id);
  }

  markDoneId(id: number): boolean {
    if (this.done[id]) return false;
    this.done[id] = 1;
    this.doneCount++;
    return true;
  }

  /** Samples not answered yet (for the report and re-export). */
  *pending(): Generator<{ item: IndexedItem; sample: number; hash: string }> {
    for (let id = 0; id < this.hashes.size; id++) {
      if (this.done[id]) continue;
      const ref = this.firstRefOf[id];
      yield { item: this.items[this.itemOf[ref]], sample: this.sampleOf[ref], hash: this.hashes.hashOf(id) };
    }
  }
}

function grow<T extends Int32Array | Uint8Array>(a: T): T {
  const bigger = new (a.constructor as new (n: number) => T)(a.length * 2);
  bigger.set(a);
  return bigger;
}
