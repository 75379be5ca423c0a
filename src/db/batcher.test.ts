import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createBatcher } from './batcher.ts';

test('calls made together share a batch; each gets its own result', async () => {
  const batches: number[][] = [];
  const b = createBatcher(async (items: number[]) => {
    batches.push(items);
    await new Promise((r) => setTimeout(r, 5));
    return items.map((i) => i * 10);
  }, { concurrency: 1 });
  const out = await Promise.all([1, 2, 3, 4, 5].map((i) => b.run(i)));
  assert.deepEqual(out, [10, 20, 30, 40, 50]);
  assert.deepEqual(batches, [[1, 2, 3, 4, 5]]);
  // While a batch is being written, later calls wait and then go together.
  const first = b.run(6);
  await new Promise((r) => setImmediate(r));
  const rest = [7, 8, 9].map((i) => b.run(i));
  assert.deepEqual(await Promise.all([first, ...rest]), [60, 70, 80, 90]);
  assert.deepEqual(batches.slice(1), [[6], [7, 8, 9]]);
});

test('a failing batch is retried item by item, so only the bad item fails', async () => {
  const b = createBatcher(async (items: number[]) => {
    if (items.includes(13)) throw new Error('unlucky');
    return items.map((i) => -i);
  }, { maxBatch: 10 });
  const out = await Promise.allSettled([1, 13, 2].map((i) => b.run(i)));
  assert.deepEqual(out.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
  assert.deepEqual(out.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)), [-1, 'unlucky', -2]);
});

test('at most `concurrency` batches of at most `maxBatch` items are written at once', async () => {
  let writing = 0;
  let most = 0;
  const sizes: number[] = [];
  const b = createBatcher(async (items: number[]) => {
    writing += 1;
    most = Math.max(most, writing);
    sizes.push(items.length);
    await new Promise((r) => setTimeout(r, 2));
    writing -= 1;
    return items;
  }, { concurrency: 2, maxBatch: 3 });
  await Promise.all(Array.from({ length: 20 }, (_, i) => b.run(i)));
  assert.equal(most, 2);
  assert.ok(sizes.every((n) => n <= 3));
  assert.equal(sizes.reduce((a, n) => a + n, 0), 20);
});
