/**
 * Lets the event loop answer waiting requests before long synchronous work goes on (hashing a sealed
 * batch of thousands of signatures), so a background task does not stall every request for its duration.
 */
export function breathe(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Every `every` items, a breath (see breathe). */
export async function breatheEvery(i: number, every = 1000): Promise<void> {
  if (i > 0 && i % every === 0) await breathe();
}
