/**
 * Masks secrets in everything the runner prints or writes, like the Actions runner's secret masker:
 * a registered value and each of its lines are replaced by `***` in all later output.
 */
export const MASK = "***";

export class Masker {
  private readonly values = new Set<string>();
  /** longest first, so a secret that contains another one is replaced whole */
  private ordered: string[] = [];

  /** Registers a value (and each of its lines); blank values are ignored like on GitHub. */
  add(value: string | undefined): void {
    if (value === undefined) return;
    const candidates = [value, ...value.split(/\r?\n/)];
    let changed = false;
    for (const candidate of candidates) {
      const trimmed = candidate.trim();
      if (trimmed === "" || this.values.has(candidate)) continue;
      this.values.add(candidate);
      changed = true;
    }
    if (changed) this.ordered = [...this.values].sort((a, b) => b.length - a.length);
  }

  get size(): number {
    return this.values.size;
  }

  mask(text: string): string {
    let result = text;
    for (const value of this.ordered) {
      if (result.includes(value)) result = result.split(value).join(MASK);
    }
    return result;
  }

  /** Masks every string inside a JSON-like value (outputs, annotations for the report). */
  maskDeep<T>(value: T): T {
    if (typeof value === "string") return this.mask(value) as T;
    if (Array.isArray(value)) return value.map((v: unknown) => this.maskDeep(v)) as T;
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.maskDeep(v)])) as T;
    }
    return value;
  }

  /** True when the text contains a registered value (job outputs holding a secret are dropped). */
  containsSecret(text: string): boolean {
    return this.ordered.some((value) => text.includes(value));
  }
}
