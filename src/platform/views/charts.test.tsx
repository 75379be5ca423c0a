import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderToString } from 'preact-render-to-string';
import { BarChart } from './charts.tsx';

test('a bar chart is one named picture, a bar per value scaled to the largest, its text escaped', () => {
  const html = renderToString(<BarChart id="c" title="Votes <per> project" description="The table gives the same figures."
    bars={[{ label: 'A long label that goes on and on beyond the column', value: 10, tone: 'strong', text: '10, funded' }, { label: 'B', value: 5 }, { label: '<script>', value: 0 }]} />);
  assert.match(html, /^<div class="chart"><svg role="img" aria-labelledby="c-title c-desc"/);
  assert.match(html, /<title id="c-title">Votes &lt;per> project<\/title><desc id="c-desc">The table gives the same figures\.<\/desc>/);
  assert.deepEqual([...html.matchAll(/<rect [^>]*width="(\d+)"/g)].map((m) => Number(m[1])), [300, 150, 0]);
  assert.match(html, />A long label that goes on and on …<\/text>/);
  assert.match(html, />10, funded<\/text>/);
  assert.match(html, />&lt;script></);
  assert.doesNotMatch(html, /<script>/);
  // Without a description the picture is named by its title alone.
  assert.match(renderToString(<BarChart id="d" title="T" bars={[]} />), /aria-labelledby="d-title"/);
});
