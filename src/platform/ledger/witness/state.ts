import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * What a witness remembers, as plain files in its state directory (docs/OPERATIONS.md "Witnesses"):
 * - `logs/<log URL>.json`: the log's name and keys as first seen (pinned), and keys adopted since;
 * - `checkpoints/<origin>`: the last checkpoint note it verified for each origin, as the log served it;
 * - `evidence/<origin>/<kind>-<hash>/`: what it kept when an alarm went off.
 * Names are percent-encoded. Every file is written under a temporary name, flushed, then renamed, so a
 * crash leaves the old file or the new one; `lock` keeps a second run off the same directory.
 */

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

/** A file name for a URL or an origin: percent-encoded, shortened with its hash when too long for a file system. */
export function fileName(s: string): string {
  const enc = encodeURIComponent(s);
  return enc.length <= 180 ? enc : `${enc.slice(0, 120)}-${sha256(s).slice(0, 32)}`;
}

async function syncDir(dir: string): Promise<void> {
  const h = await fs.open(dir, 'r').catch(() => null);
  // Not every platform can flush a directory; the rename is atomic either way.
  if (h) await h.sync().catch(() => undefined).finally(() => h.close());
}

/** Writes a file so that readers see either the old content or the new, never a part. */
export async function writeAtomic(file: string, data: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  const h = await fs.open(tmp, 'wx', 0o644);
  try {
    await h.writeFile(data, 'utf8');
    await h.sync();
  } finally {
    await h.close();
  }
  await fs.rename(tmp, file);
  await syncDir(path.dirname(file));
}

const readOrNull = (file: string) => fs.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
  if (e.code === 'ENOENT') return null;
  throw e;
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A log's keys as the witness first saw them, and those it adopted during a rotation's overlap. */
export interface PinnedLog {
  /** The --log URL they were read from. */
  url: string;
  /** The log's name, the first part of its origins. */
  log: string;
  keys: { generation: number; publicKey: string; pinnedAt: string }[];
}

export class WitnessState {
  constructor(readonly dir: string) {}

  /**
   * Takes the directory for one run; throws while another live process holds it. The lock file is
   * created whole (hard link of a written file), so a reader never sees it without its process id.
   */
  async lock(): Promise<() => Promise<void>> {
    await fs.mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, 'lock');
    const mine = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
    await fs.writeFile(mine, `${process.pid}\n`, { flag: 'wx' });
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          await fs.link(mine, file);
          return () => fs.rm(file, { force: true });
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
          const pid = Number((await readOrNull(file))?.trim());
          if (Number.isSafeInteger(pid) && pid > 0 && alive(pid)) throw new Error(`Another witness run (process ${pid}) is using ${this.dir}`);
          await fs.rm(file, { force: true });
        }
      }
      throw new Error(`Could not lock ${this.dir}`);
    } finally {
      await fs.rm(mine, { force: true });
    }
  }

  private logFile = (url: string) => path.join(this.dir, 'logs', `${fileName(url)}.json`);
  private checkpointFile = (origin: string) => path.join(this.dir, 'checkpoints', fileName(origin));

  async pinnedLog(url: string): Promise<PinnedLog | null> {
    const text = await readOrNull(this.logFile(url));
    return text === null ? null : (JSON.parse(text) as PinnedLog);
  }

  savePinnedLog(p: PinnedLog): Promise<void> {
    return writeAtomic(this.logFile(p.url), `${JSON.stringify(p, null, 2)}\n`);
  }

  /** The last checkpoint note verified for an origin, or null before the first. */
  lastSeen(origin: string): Promise<string | null> {
    return readOrNull(this.checkpointFile(origin));
  }

  saveLastSeen(origin: string, note: string): Promise<void> {
    return writeAtomic(this.checkpointFile(origin), note);
  }

  /**
   * Keeps the files of an alarm in a folder of their own, named by kind and by the hash of their content (the
   * same misbehaviour seen again is kept once); written to a temporary folder and renamed. Returns the folder.
   */
  async keepEvidence(origin: string, kind: string, files: Record<string, string>): Promise<string> {
    const id = sha256(JSON.stringify(Object.entries(files).filter(([name]) => name !== 'alarm.json').sort())).slice(0, 16);
    const parent = path.join(this.dir, 'evidence', fileName(origin));
    const at = path.join(parent, `${kind}-${id}`);
    if (await fs.stat(at).then(() => true, () => false)) return at;
    await fs.mkdir(parent, { recursive: true });
    const tmp = await fs.mkdtemp(path.join(parent, '.tmp-'));
    for (const [name, data] of Object.entries(files)) await writeAtomic(path.join(tmp, name), data);
    await fs.rename(tmp, at).catch(async (e: NodeJS.ErrnoException) => {
      await fs.rm(tmp, { recursive: true, force: true });
      if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e;
    });
    await syncDir(parent);
    return at;
  }
}
