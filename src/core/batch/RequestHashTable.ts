const EMPTY = -1;
/** Hex of every byte value, for hashOf. */
const BYTE_HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Value of a lowercase hex digit's char code, or -1. */
function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/**
 * Request hashes (32 hex chars, see requestHash.ts) numbered 0, 1, 2… in the order they are added, kept in
 * typed arrays: 16 bytes per hash plus two 4-byte slots, where a Set of the strings costs ~120 bytes each. A
 * million-request export or import indexes every planned sample, so this is what keeps it in bounded memory.
 */
export class RequestHashTable {
  private words = new Uint32Array(4 * 1024);
  private slots = new Int32Array(2048).fill(EMPTY);
  private count = 0;
  private readonly key = new Uint32Array(4);

  get size(): number {
    return this.count;
  }

  /** The id of a hash, or -1 when absent (or not a request hash at all). */
  id(hash: string): number {
    if (!this.parse(hash)) return -1;
    const slot = this.find();
    return this.slots[slot];
  }

  has(hash: string): boolean {
    return this.id(hash) >= 0;
  }

  /** Adds a hash and returns its id; an existing hash keeps its id. Throws for a string that is not a request hash. */
  add(hash: string): number {
    if (!this.parse(hash)) throw new Error(`not a request hash: "${hash.slice(0, 40)}"`);
    let slot = this.find();
    if (this.slots[slot] !== EMPTY) return this.slots[slot];
    if ((this.count + 1) * 2 > this.slots.length) {
      this.grow();
      slot = this.find();
    }
    const id = this.count++;
    if (this.words.length < this.count * 4) {
      const bigger = new Uint32Array(this.words.length * 2);
      bigger.set(this.words);
      this.words = bigger;
    }
    this.words.set(this.key, id * 4);
    this.slots[slot] = id;
    return id;
  }

  /** The hash of an id, as the 32 hex chars it was added as. */
  hashOf(id: number): string {
    let s = '';
    for (let k = 0; k < 4; k++) {
      const w = this.words[id * 4 + k];
      s += BYTE_HEX[w >>> 24] + BYTE_HEX[(w >>> 16) & 255] + BYTE_HEX[(w >>> 8) & 255] + BYTE_HEX[w & 255];
    }
    return s;
  }

  /** Reads 32 lowercase hex digits into `key` (four 32-bit words); false for anything else. */
  private parse(hash: string): boolean {
    if (hash.length !== 32) return false;
    for (let k = 0; k < 4; k++) {
      let w = 0;
      for (let j = k * 8; j < k * 8 + 8; j++) {
        const v = hexValue(hash.charCodeAt(j));
        if (v < 0) return false;
        w = (w << 4) | v;
      }
      this.key[k] = w >>> 0;
    }
    return true;
  }

  /** Slot of `key`: the one holding it, or the empty one where it belongs (linear probing; hashes are uniform). */
  private find(): number {
    const mask = this.slots.length - 1;
    const [k0, k1, k2, k3] = this.key;
    for (let slot = k0 & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot];
      if (id === EMPTY) return slot;
      const w = id * 4;
      if (this.words[w] === k0 && this.words[w + 1] === k1 && this.words[w + 2] === k2 && this.words[w + 3] === k3) return slot;
    }
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(EMPTY);
    const mask = slots.length - 1;
    for (let id = 0; id < this.count; id++) {
      let slot = this.words[id * 4] & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.slots = slots;
  }
}
