// A lean HTTP/1.1 load generator for rushes of distinct requests: each request's bytes are built before the
// clock starts, and answers are read only as far as the status line, the Location header and the body's
// length. autocannon spent about as much CPU per request as the server's whole signing path (it rebuilds
// every request that carries its own cookie, and parses answers in JavaScript); on a 2-core machine that
// CPU is taken from the server under test. Targets only 127.0.0.1.
import net from 'node:net';

/** One answer as the client received it: `bytes` is all it read off the socket (head and body, compressed as sent). */
export interface Answer { status: number; location: string | null; ms: number; bytes: number }
export interface RushResult { answers: Answer[]; errors: number; seconds: number }

const HEAD_END = Buffer.from('\r\n\r\n');

/** The bytes of one request (HTTP/1.1, keep-alive). */
export function requestBytes(method: string, path: string, headers: Record<string, string>, body = ''): Buffer {
  const lines = [`${method} ${path} HTTP/1.1`, 'host: 127.0.0.1', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  if (body || method !== 'GET') lines.push(`content-length: ${Buffer.byteLength(body)}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

/** Reads one answer's head from `buf`: its status, Location and where the whole answer ends (or null: not all here yet). */
function parseAnswer(buf: Buffer): { status: number; location: string | null; end: number } | null {
  const headEnd = buf.indexOf(HEAD_END);
  if (headEnd < 0) return null;
  const head = buf.toString('latin1', 0, headEnd);
  const status = Number(head.slice(9, 12));
  const location = /\r\nlocation: *([^\r]*)/i.exec(head)?.[1] ?? null;
  const chunked = /\r\ntransfer-encoding: *chunked/i.test(head);
  if (chunked) {
    const last = buf.indexOf('\r\n0\r\n\r\n', headEnd);
    return last < 0 ? null : { status, location, end: last + 7 };
  }
  const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
  const end = headEnd + 4 + length;
  return buf.length < end ? null : { status, location, end };
}

/** Sends every request once, `connections` at a time over keep-alive sockets, and collects the answers in order sent. */
export function httpRush(port: number, requests: Buffer[], connections: number): Promise<RushResult> {
  const answers: Answer[] = new Array(requests.length);
  let next = 0;
  let errors = 0;
  let done = 0;
  const started = performance.now();
  return new Promise((resolve) => {
    const finish = () => {
      done += 1;
      if (done === Math.min(connections, requests.length)) resolve({ answers: answers.filter(Boolean), errors, seconds: (performance.now() - started) / 1000 });
    };
    for (let c = 0; c < Math.min(connections, requests.length); c++) {
      const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
      let pending: Buffer = Buffer.alloc(0);
      let current = -1;
      let sentAt = 0;
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        socket.end();
        finish();
      };
      const send = () => {
        if (next >= requests.length) return close();
        current = next++;
        sentAt = performance.now();
        socket.write(requests[current]!);
      };
      socket.on('connect', send);
      socket.on('data', (chunk: Buffer) => {
        pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
        const answer = parseAnswer(pending);
        if (!answer) return;
        answers[current] = { status: answer.status, location: answer.location, ms: performance.now() - sentAt, bytes: answer.end };
        pending = pending.subarray(answer.end);
        send();
      });
      socket.on('error', () => {
        errors += 1;
        close();
      });
    }
  });
}

/** The p-th percentile (0–100) of the answers' latencies in milliseconds. */
export function percentile(answers: Answer[], p: number): number {
  const sorted = answers.map((a) => a.ms).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

export interface LoopResult { requests: number; rps: number; p50: number; p99: number; non2xx: number; errors: number; bytesPerAnswer: number }

/**
 * Readers: `connections` keep-alive sockets each sending `request` again as soon as its answer is in, until
 * `stop()`. Cheaper per request than autocannon (the bytes are built once), so on a 2-core machine the
 * readers take less of the CPU that the server under test needs.
 */
export function httpLoop(port: number, request: Buffer, connections: number) {
  const ms: number[] = [];
  let bytes = 0;
  let non2xx = 0;
  let errors = 0;
  let stopped = false;
  const started = performance.now();
  const sockets = Array.from({ length: connections }, () => {
    const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
    let pending: Buffer = Buffer.alloc(0);
    let sentAt = 0;
    const send = () => {
      if (stopped) return;
      sentAt = performance.now();
      socket.write(request);
    };
    socket.on('connect', send);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      const answer = parseAnswer(pending);
      if (!answer) return;
      ms.push(performance.now() - sentAt);
      bytes += answer.end;
      if (answer.status < 200 || answer.status > 299) non2xx += 1;
      pending = pending.subarray(answer.end);
      send();
    });
    socket.on('error', () => {
      errors += 1;
    });
    return socket;
  });
  return {
    /** Stops sending and sums up what the readers received. */
    stop(): LoopResult {
      stopped = true;
      const seconds = (performance.now() - started) / 1000;
      for (const s of sockets) s.destroy();
      ms.sort((a, b) => a - b);
      const at = (p: number) => ms[Math.min(ms.length - 1, Math.floor((ms.length * p) / 100))] ?? 0;
      return { requests: ms.length, rps: ms.length / seconds, p50: at(50), p99: at(99), non2xx, errors, bytesPerAnswer: ms.length ? bytes / ms.length : 0 };
    },
  };
}

/** What a browser sends with a page request: the content codings it accepts decide what travels. */
export const BROWSER_HEADERS = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', 'accept-encoding': 'gzip, deflate, br, zstd' };
