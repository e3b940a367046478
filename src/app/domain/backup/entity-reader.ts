import { isMetadataComplete } from '../sync-metadata.model';

/** Keys that must never become property names: they would reach Object.prototype. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export type Raw = Record<string, unknown>;

export function isPlainObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads typed fields from one untrusted entity and records a precise message for each field of
 * the wrong type ("task 'abc': title must be a string"). Missing optional fields get defaults.
 */
export class EntityReader {
  constructor(
    private readonly label: string,
    private readonly raw: Raw,
    private readonly errors: string[],
  ) {}

  private fail(field: string, expected: string): void {
    this.errors.push(`${this.label}: ${field} must be ${expected}`);
  }

  private has(field: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.raw, field) && this.raw[field] !== undefined;
  }

  requiredString(field: string): string {
    const v = this.raw[field];
    if (typeof v === 'string' && this.has(field)) return v;
    this.fail(field, 'a string');
    return '';
  }

  string(field: string, fallback = ''): string {
    if (!this.has(field) || this.raw[field] === null) return fallback;
    const v = this.raw[field];
    if (typeof v === 'string') return v;
    this.fail(field, 'a string');
    return fallback;
  }

  /** Empty strings count as absent, as Super Productivity writes '' for "no project". */
  nullableId(field: string): string | null {
    if (!this.has(field) || this.raw[field] === null || this.raw[field] === '') return null;
    const v = this.raw[field];
    if (typeof v === 'string') return v;
    this.fail(field, 'a string or null');
    return null;
  }

  nullableDay(field: string): string | null {
    if (!this.has(field) || this.raw[field] === null || this.raw[field] === '') return null;
    const v = this.raw[field];
    if (typeof v === 'string' && DAY_PATTERN.test(v)) return v;
    this.fail(field, 'a day as YYYY-MM-DD or null');
    return null;
  }

  number(field: string, fallback = 0): number {
    if (!this.has(field) || this.raw[field] === null) return fallback;
    const v = this.raw[field];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    this.fail(field, 'a number');
    return fallback;
  }

  nullableNumber(field: string): number | null {
    if (!this.has(field) || this.raw[field] === null) return null;
    const v = this.raw[field];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    this.fail(field, 'a number or null');
    return null;
  }

  boolean(field: string, fallback = false): boolean {
    if (!this.has(field) || this.raw[field] === null) return fallback;
    const v = this.raw[field];
    if (typeof v === 'boolean') return v;
    this.fail(field, 'true or false');
    return fallback;
  }

  idList(field: string): string[] {
    if (!this.has(field) || this.raw[field] === null) return [];
    const v = this.raw[field];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    this.fail(field, 'a list of ids (strings)');
    return [];
  }

  /** A map of YYYY-MM-DD to milliseconds, copied key by key. */
  dayNumberMap(field: string): Record<string, number> {
    if (!this.has(field) || this.raw[field] === null) return {};
    const v = this.raw[field];
    if (!isPlainObject(v)) {
      this.fail(field, 'an object of YYYY-MM-DD to numbers');
      return {};
    }
    const out: Record<string, number> = {};
    for (const [day, ms] of Object.entries(v)) {
      if (!DAY_PATTERN.test(day) || typeof ms !== 'number' || !Number.isFinite(ms)) {
        this.fail(`${field}['${day}']`, 'a number under a YYYY-MM-DD key');
        continue;
      }
      out[day] = ms;
    }
    return out;
  }

  /** Sync metadata when complete and well-typed, otherwise nothing (the caller stamps it). */
  syncMetadata(): { version: number; lastModifiedAt: number; lastModifiedBy: string } | Record<string, never> {
    const { version, lastModifiedAt, lastModifiedBy } = this.raw;
    const metadata = { version, lastModifiedAt, lastModifiedBy };
    return isMetadataComplete(metadata) ? metadata : {};
  }
}
