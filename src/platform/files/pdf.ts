import zlib from 'node:zlib';

// Markup a browser would run if it were ever persuaded to read the file as a page: a PDF has no use for any.
const MARKUP = /<(?:!doctype|html|head|body|script|iframe|svg|object|embed|meta|form)[\s>/]/i;
// Actions that make a reader run code or open programs (names may be spelled with #xx escapes: /J#53).
const ACTIVE = /\/(?:JavaScript|JS|Launch|RichMedia)(?![A-Za-z0-9])/;

/** The dictionary text that starts at `from` (`<< … >>`, nested ones included), or null. */
function dictionaryAt(text: string, from: number): string | null {
  const start = text.indexOf('<<', from);
  if (start < 0 || start - from > 64) return null;
  let depth = 0;
  for (let i = start; i < text.length - 1; i++) {
    if (text[i] === '<' && text[i + 1] === '<') { depth++; i++; } else if (text[i] === '>' && text[i + 1] === '>') {
      depth--; i++;
      if (depth === 0) return text.slice(start, i + 1);
    }
  }
  return null;
}

const objectHeader = (text: string, offset: number, num?: number) => {
  const m = /^(\d+)\s+(\d+)\s+obj\b/.exec(text.slice(offset, offset + 40));
  return m && (num === undefined || Number(m[1]) === num) ? m : null;
};

/**
 * A classic cross-reference table: its trailer names the catalog, and the table (or an earlier one it
 * names by /Prev, as an incrementally updated file has) puts the catalog where it really is.
 */
function classicTableHolds(text: string, xref: number, rootNum?: number, hops = 0): boolean {
  if (hops > 16 || !text.startsWith('xref', xref)) return false;
  const trailerAt = text.indexOf('trailer', xref);
  if (trailerAt < 0) return false;
  const trailer = dictionaryAt(text, trailerAt + 7);
  if (!trailer) return false;
  const root = /\/Root\s+(\d+)\s+(\d+)\s+R/.exec(trailer);
  const wanted = rootNum ?? (root ? Number(root[1]) : undefined);
  if (wanted === undefined) return false;
  const lines = text.slice(xref + 4, trailerAt).trim().split(/\r\n|\r|\n/);
  let num = -1;
  let remaining = 0;
  for (const line of lines) {
    const section = /^(\d+)\s+(\d+)\s*$/.exec(line);
    if (remaining === 0 && section) { num = Number(section[1]); remaining = Number(section[2]); continue; }
    const entry = /^(\d{10}) (\d{5}) ([nf])\s*$/.exec(line);
    if (!entry || remaining === 0) return false;
    if (num === wanted && entry[3] === 'n') {
      const at = Number(entry[1]);
      return objectHeader(text, at, wanted) !== null && /\/Type\s*\/Catalog\b/.test(dictionaryAt(text, text.indexOf('obj', at) + 3) ?? '');
    }
    num++;
    remaining--;
  }
  const prev = /\/Prev\s+(\d+)/.exec(trailer);
  return prev !== null && classicTableHolds(text, Number(prev[1]), wanted, hops + 1);
}

/** A cross-reference stream (PDF 1.5+): a /Type /XRef stream naming the catalog whose data inflates to whole rows. */
function xrefStreamHolds(data: Buffer, text: string, at: number): boolean {
  const dict = dictionaryAt(text, text.indexOf('obj', at) + 3);
  if (!dict || !/\/Type\s*\/XRef\b/.test(dict) || !/\/Root\s+\d+\s+\d+\s+R/.test(dict)) return false;
  const widths = /\/W\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(dict);
  const length = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dict);
  const streamAt = text.indexOf('stream', text.indexOf(dict) + dict.length);
  if (!widths || !length || streamAt < 0) return false;
  const begin = streamAt + 6 + (text[streamAt + 6] === '\r' ? 2 : 1);
  let rows: Buffer;
  try {
    rows = /\/Filter\s*\/FlateDecode\b/.test(dict) ? zlib.inflateSync(data.subarray(begin, begin + Number(length[1]))) : data.subarray(begin, begin + Number(length[1]));
  } catch {
    return false;
  }
  const width = Number(widths[1]) + Number(widths[2]) + Number(widths[3]);
  // With a PNG predictor every row carries one more byte, its filter type.
  return width > 0 && rows.length > 0 && (rows.length % width === 0 || rows.length % (width + 1) === 0);
}

/**
 * True when the bytes are a PDF far enough to trust: the header at the very first byte (a file with
 * anything before it is a polyglot, readable as something else too), `%%EOF` at the end, a `startxref`
 * pointing at a real cross-reference table or stream whose trailer names a catalog that is where it says,
 * no HTML markup anywhere and no script or launch actions outside compressed streams.
 */
export function isTrustworthyPdf(data: Buffer): boolean {
  const text = data.toString('latin1');
  if (!/^%PDF-(?:1\.[0-7]|2\.0)[\r\n \t%]/.test(text.slice(0, 16))) return false;
  const tail = text.slice(-1024);
  if (!/%%EOF\s*$/.test(tail)) return false;
  const start = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  const xref = start ? Number(start[1]) : -1;
  if (xref <= 0 || xref >= data.length) return false;
  if (MARKUP.test(text)) return false;
  const outsideStreams = text.replace(/\bstream\r?\n[\s\S]*?\bendstream\b/g, '').replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  if (ACTIVE.test(outsideStreams)) return false;
  if (text.startsWith('xref', xref)) return classicTableHolds(text, xref);
  return objectHeader(text, xref) !== null && xrefStreamHolds(data, text, xref);
}
