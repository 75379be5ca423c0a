/**
 * Group commit for hot single-row writes (signatures, votes). Callers that arrive while earlier batches
 * are being written wait a moment and go together in one statement, so a rush costs one transaction
 * commit (one WAL flush) per batch instead of one per row; at low load every call is written at once,
 * alone. A caller's promise settles only after its batch has committed, so whatever is acknowledged is
 * durable. When a batch fails, its items are retried one by one, so one bad item fails only its caller.
 */
export interface Batcher<In, Out> {
  run(item: In): Promise<Out>;
}

interface Waiting<In, Out> {
  item: In;
  resolve(out: Out): void;
  reject(error: unknown): void;
}

/**
 * `write(items)` writes a batch in one statement and returns one result per item, in order.
 * `concurrency` batches may be written at once (keep it below the connection pool's size);
 * a batch holds at most `maxBatch` items.
 */
export function createBatcher<In, Out>(write: (items: In[]) => Promise<Out[]>, opts: { concurrency?: number; maxBatch?: number } = {}): Batcher<In, Out> {
  const concurrency = opts.concurrency ?? 4;
  const maxBatch = opts.maxBatch ?? 500;
  const queue: Waiting<In, Out>[] = [];
  let writing = 0;
  let scheduled = false;

  async function writeBatch(batch: Waiting<In, Out>[]): Promise<void> {
    try {
      const out = await write(batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(out[i]!));
    } catch (error) {
      if (batch.length === 1) batch[0]!.reject(error);
      else for (const w of batch) await writeBatch([w]);
    }
  }

  function flush(): void {
    scheduled = false;
    while (writing < concurrency && queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      writing += 1;
      void writeBatch(batch).finally(() => {
        writing -= 1;
        schedule();
      });
    }
  }

  function schedule(): void {
    if (scheduled || queue.length === 0 || writing >= concurrency) return;
    scheduled = true;
    // After the current I/O callbacks, so requests parsed in the same turn of the event loop share a batch.
    setImmediate(flush);
  }

  return {
    run(item) {
      return new Promise<Out>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        schedule();
      });
    },
  };
}

/** One batcher per database handle (tests open many), made on first use. */
export function batcherPer<Db extends object, In, Out>(make: (db: Db) => Batcher<In, Out>): (db: Db) => Batcher<In, Out> {
  const made = new WeakMap<Db, Batcher<In, Out>>();
  return (db) => {
    let b = made.get(db);
    if (!b) made.set(db, (b = make(db)));
    return b;
  };
}
