/**
 * Who failed this coordinator's signing sessions lately, with decay: a blamed operator is passed over
 * when enough others committed, across sign() calls and batch keys, so fewer than t colluders that
 * always answer first and then fail their share cannot keep batches unsigned. Blame fades (half-life),
 * so an honest operator that was down for a while is chosen again once it is back.
 */
export const BLAME_HALF_LIFE_MS = 10 * 60_000;

export class BlameBook {
  private readonly scores = new Map<number, { score: number; at: number }>();

  constructor(
    private readonly halfLifeMs = BLAME_HALF_LIFE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  blame(operator: number, weight = 1): void {
    this.scores.set(operator, { score: this.score(operator) + weight, at: this.now() });
  }

  score(operator: number): number {
    const s = this.scores.get(operator);
    if (!s) return 0;
    return s.score * 0.5 ** ((this.now() - s.at) / this.halfLifeMs);
  }

  /** `candidates` least blamed first; ties keep their given order (e.g. who answered first). */
  leastBlamed<T>(candidates: T[], operatorOf: (c: T) => number): T[] {
    return candidates
      .map((c, i) => ({ c, i, s: this.score(operatorOf(c)) }))
      .sort((a, b) => a.s - b.s || a.i - b.i)
      .map((x) => x.c);
  }
}
