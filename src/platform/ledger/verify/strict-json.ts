import { parse, type ValueNode } from '@humanwhocodes/momoa';

/**
 * JSON read strictly, for checking a published ledger (docs/LEDGER.md "Reading strictly"): what a lenient
 * parser would silently accept, and could make two checkers disagree about one file, is refused with its
 * line and column. Refused: a duplicate key in one object (JSON.parse keeps the last, others the first),
 * a number written with a fraction or an exponent (`1.0`, `1e3`) or outside ±(2^53−1) (read differently by
 * languages with 64-bit or arbitrary integers), `-0`, and a string that is not well-formed Unicode (a lone
 * surrogate written as `\ud800`).
 */

export type StrictJson = null | boolean | number | string | StrictJson[] | { [key: string]: StrictJson };

export class StrictJsonError extends Error {
  constructor(readonly reason: string, readonly line: number, readonly column: number) {
    super(`line ${line}, column ${column}: ${reason}`);
    this.name = 'StrictJsonError';
  }
}

const INTEGER = /^-?(0|[1-9][0-9]*)$/;
/** String.prototype.isWellFormed (ES2024, in Node 20), which TypeScript's ES2023 library does not declare. */
const wellFormed = (s: string) => (s as string & { isWellFormed(): boolean }).isWellFormed();

function value(node: ValueNode, text: string): StrictJson {
  const fail = (reason: string): never => {
    throw new StrictJsonError(reason, node.loc.start.line, node.loc.start.column);
  };
  switch (node.type) {
    case 'Null':
      return null;
    case 'Boolean':
      return node.value;
    case 'String':
      if (!wellFormed(node.value)) fail('a string that is not well-formed Unicode (a lone surrogate)');
      return node.value;
    case 'Number': {
      const raw = text.slice(node.loc.start.offset, node.loc.end.offset);
      if (!INTEGER.test(raw)) fail(`${raw} is not an integer (no fractions or exponents)`);
      if (raw === '-0') fail('-0 is not a canonical integer');
      if (!Number.isSafeInteger(node.value)) fail(`${raw} is outside ±(2^53−1)`);
      return node.value;
    }
    case 'Array':
      return node.elements.map((e) => value(e.value, text));
    case 'Object': {
      const out: Record<string, StrictJson> = {};
      const seen = new Set<string>();
      for (const m of node.members) {
        const key = m.name.type === 'String' ? m.name.value : m.name.name;
        if (seen.has(key)) throw new StrictJsonError(`duplicate key ${JSON.stringify(key)}`, m.name.loc.start.line, m.name.loc.start.column);
        if (!wellFormed(key)) throw new StrictJsonError('a key that is not well-formed Unicode (a lone surrogate)', m.name.loc.start.line, m.name.loc.start.column);
        seen.add(key);
        const v = value(m.value, text);
        // A key "__proto__" is an own property, as JSON.parse makes it, not the object's prototype.
        if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
        else out[key] = v;
      }
      return out;
    }
    default:
      return fail(`${node.type} is not JSON`);
  }
}

/** Parses JSON text strictly (see above); throws StrictJsonError with the position of the first fault. */
export function parseStrictJson(text: string): StrictJson {
  let doc;
  try {
    doc = parse(text, { mode: 'json' });
  } catch (e) {
    const err = e as Error & { line?: number; column?: number };
    throw new StrictJsonError(err.message.replace(/ \(\d+:\d+\)$/, ''), err.line ?? 1, err.column ?? 1);
  }
  return value(doc.body, text);
}

export const isJsonObject = (v: unknown): v is Record<string, StrictJson> => typeof v === 'object' && v !== null && !Array.isArray(v);
