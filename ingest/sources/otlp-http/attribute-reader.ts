import type { OtlpAttributes, OtlpValue } from './otlp-records';

const kind = (v: OtlpValue): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'map' : typeof v);

/**
 * Typed reads of a record's attributes, falling back to its resource's (a service that
 * serves one tenant may say so once). A value of the wrong type is a problem named by its
 * attribute; an absent or empty one is null.
 */
export class AttributeReader {
  readonly problems: string[] = [];

  constructor(
    private readonly record: OtlpAttributes,
    private readonly resource: OtlpAttributes,
  ) {}

  has(name: string): boolean {
    return Object.hasOwn(this.record, name);
  }

  string(name: string, required = false): string | null {
    const v = this.raw(name);
    if (v === undefined || v === null || v === '') {
      if (required) this.problems.push(`${name}: required attribute is missing`);
      return null;
    }
    if (typeof v === 'string') return v;
    this.problems.push(`${name}: expected a string, got ${kind(v)}`);
    return null;
  }

  boolean(name: string): boolean | null {
    const v = this.raw(name);
    if (v === undefined || v === null) return null;
    if (typeof v === 'boolean') return v;
    this.problems.push(`${name}: expected a boolean, got ${kind(v)}`);
    return null;
  }

  number(name: string, required = false): number | null {
    const v = this.raw(name);
    if (v === undefined || v === null) {
      if (required) this.problems.push(`${name}: required attribute is missing`);
      return null;
    }
    if (typeof v === 'number') return v;
    this.problems.push(`${name}: expected a number, got ${kind(v)}`);
    return null;
  }

  private raw(name: string): OtlpValue | undefined {
    return Object.hasOwn(this.record, name) ? this.record[name] : Object.hasOwn(this.resource, name) ? this.resource[name] : undefined;
  }
}
