/** What the item metrics need to know about a question. */
export interface ItemQuestion {
  /** Number of options n, including "Don't know" when it is one. */
  n: number;
  /** 1-based option number of "Don't know", or null. */
  dontKnow: number | null;
  /** Nominal questions (and DK answers) are scored by exact match only. */
  nominal: boolean;
}

export interface ItemMetrics {
  soft: number;
  hard: number;
  randomSoft: number;
  randomHard: number;
}

/**
 * The paper's per-item scores for model answer m and survey answer s (both 1-based).
 * hard = 1[m = s], randomHard = 1/n. Nominal question, or m or s is "Don't know": soft = hard, randomSoft = 1/n.
 * Otherwise (ordinal) with n′ = n − 1 when DK is an option (it is the last one) else n:
 * soft = 1 − |m − s| / (n′ − 1), randomSoft = (1/n′) Σ_{i=1..n′} (1 − |i − s| / (n′ − 1)), i.e. the expected soft score
 * of a uniformly random non-DK answer.
 */
export function scoreItem(m: number, s: number, q: ItemQuestion): ItemMetrics {
  const hard = m === s ? 1 : 0;
  const randomHard = 1 / q.n;
  const nPrime = q.dontKnow !== null ? q.n - 1 : q.n;
  if (q.nominal || m === q.dontKnow || s === q.dontKnow || nPrime < 2) {
    return { soft: hard, hard, randomSoft: randomHard, randomHard };
  }
  const soft = 1 - Math.abs(m - s) / (nPrime - 1);
  let sum = 0;
  for (let i = 1; i <= nPrime; i++) sum += 1 - Math.abs(i - s) / (nPrime - 1);
  return { soft, hard, randomSoft: sum / nPrime, randomHard };
}

/** (score − random) / (1 − random); 0 when the baseline is already perfect (no room above chance). */
export function normalise(score: number, random: number): number {
  return random >= 1 ? 0 : (score - random) / (1 - random);
}
