export { jsonSchemaProblems } from '../../../platform/ops/openapi.testing.ts';

/** GeoReport v2's XML lists and the element of each item, as the specification's examples name them. */
const LISTS: Record<string, string> = {
  services: 'service', service_requests: 'request', errors: 'error', attributes: 'attribute', values: 'value', endpoints: 'endpoint', formats: 'format',
};
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * Reads a GeoReport v2 XML answer into the value its JSON twin has, strictly: the UTF-8 declaration, then
 * elements only (no attributes, no mixed content), lists by the names above, `<x/>` as null. Anything
 * else throws, so a malformed answer fails the test that reads it.
 */
export function readOpen311Xml(xml: string): { root: string; value: unknown } {
  const decl = /^<\?xml version="1\.0" encoding="utf-8"\?>\n/i.exec(xml);
  if (!decl) throw new Error('no XML declaration with encoding utf-8');
  let at = decl[0].length;
  const fail = (what: string): never => { throw new Error(`${what} at ${at}: ${xml.slice(at, at + 40)}`); };
  const close = (name: string) => {
    if (!xml.startsWith(`</${name}>`, at)) fail(`expected </${name}>`);
    at += name.length + 3;
  };
  const node = (): [string, unknown] => {
    const open = /^<([A-Za-z_][\w.-]*)(\/?)>/.exec(xml.slice(at, at + 200)) ?? fail('expected an element');
    at += open[0].length;
    const name = open[1]!;
    if (open[2]) return [name, null];
    if (xml.startsWith('</', at)) {
      close(name);
      return [name, LISTS[name] ? [] : ''];
    }
    if (xml[at] !== '<') {
      const end = xml.indexOf('<', at);
      const raw = xml.slice(at, end < 0 ? undefined : end);
      if (/&(?!(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(raw)) fail('a bare &');
      at += raw.length;
      close(name);
      return [name, raw.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (_, e: string) => (e[0] === '#' ? String.fromCodePoint(Number(e[1] === 'x' ? `0${e.slice(1)}` : e.slice(1))) : ENTITIES[e]!))];
    }
    const children: [string, unknown][] = [];
    while (!xml.startsWith('</', at)) children.push(node());
    close(name);
    const item = LISTS[name];
    if (item) {
      const stray = children.find(([n]) => n !== item);
      if (stray) fail(`<${stray[0]}> in <${name}>, where only <${item}> belongs`);
      return [name, children.map(([, v]) => v)];
    }
    const obj: Record<string, unknown> = {};
    for (const [n, v] of children) {
      if (n in obj) fail(`<${n}> twice in <${name}>`);
      obj[n] = v;
    }
    return [name, obj];
  };
  const [root, value] = node();
  if (at !== xml.length) fail('text after the root element');
  return { root, value };
}

/**
 * The same schema for the XML form, where every value is text: numbers, integers and booleans become
 * strings of that shape; structure, names, enums, lengths and formats stay.
 */
export function xmlForm(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(xmlForm);
  if (!schema || typeof schema !== 'object') return schema;
  // Keywords whose values are data, not schemas (a property may be called `required`, as in attributes).
  const data = (k: string, v: unknown) => ((k === 'required' || k === 'enum') && Array.isArray(v)) || (k === 'const' && typeof v !== 'object');
  const s = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, data(k, v) ? v : xmlForm(v)])) as Record<string, unknown>;
  const text = (pattern: string) => {
    const { minimum: _min, maximum: _max, ...rest } = s;
    return { ...rest, type: 'string', pattern };
  };
  if (s.type === 'integer') return text('^-?[0-9]+$');
  if (s.type === 'number') return text('^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$');
  if (s.type === 'boolean') return { ...s, type: 'string', enum: ['true', 'false'] };
  if ('const' in s && typeof s.const !== 'string') return { ...s, const: String(s.const) };
  return s;
}
