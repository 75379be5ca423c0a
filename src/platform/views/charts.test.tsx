import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderToString } from 'preact-render-to-string';
import { HorizontalBars } from './charts.tsx';

test('a chart whose table is elsewhere draws no table; a light bar is paler, its text escaped', () => {
  const html = renderToString(<HorizontalBars id="c" title="Votes <per> project" note="The table above gives the same figures." tableElsewhere
    data={[{ label: 'A long label that goes on and on beyond the column and further', value: 10, text: '10, funded' }, { label: 'B', value: 5, text: '5', tone: 'light' }, { label: '<script>', value: 0, text: '0' }]} />);
  assert.match(html, /<svg [^>]*role="img" aria-labelledby="c-title"/);
  assert.match(html, /<title id="c-title">Votes &lt;per> project<\/title>/);
  assert.doesNotMatch(html, /<table/);
  assert.match(html, /The table above gives the same figures\./);
  assert.deepEqual([...html.matchAll(/<rect x="0" y="\d+" width="([\d.]+)%" height="14" fill="#0b4f8a"( fill-opacity="0.55")?/g)].map((m) => [Number(m[1]), Boolean(m[2])]), [[60, false], [30, true]]);
  assert.match(html, />A long label that goes on and on beyond…<\/text>/);
  assert.match(html, />&lt;script></);
  assert.doesNotMatch(html, /<script>/);
});
