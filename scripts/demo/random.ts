/** A small seeded pseudo-random generator (mulberry32): the same demo data on every run. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  digits(n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += String(this.int(0, 9));
    return out;
  }
}

/** A valid 10-digit Russian tax id (INN of a company): nine digits and their check digit. */
export function companyInn(random: Random): string {
  return withInnCheckDigit(`${random.int(1, 9)}${random.digits(8)}`);
}

/** Nine digits followed by their INN check digit. */
export function withInnCheckDigit(nineDigits: string): string {
  const weights = [2, 4, 10, 3, 5, 9, 4, 6, 8];
  const check = (weights.reduce((sum, weight, i) => sum + weight * Number(nineDigits[i]), 0) % 11) % 10;
  return `${nineDigits}${check}`;
}

/** A valid 13-digit OGRN of a company: 1, the registration year, a region, seven digits, and the check digit. */
export function companyOgrn(random: Random): string {
  const body = `1${String(random.int(2, 24)).padStart(2, '0')}${random.pick(['77', '78', '50', '16'])}${random.digits(7)}`;
  return `${body}${(BigInt(body) % 11n) % 10n}`;
}
