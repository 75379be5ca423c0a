import crypto from 'node:crypto';
import type { TestApp } from '../../testing/http.ts';
import { formatCheckpoint, parseCheckpoint } from '../checkpoint.ts';
import { COSIGNATURE_V1, cosignatureLine, rawPublicKey, signNote, splitNote, vkeyOf } from '../note.ts';

/** For the OpenAPI test: a configured witness, and one real request for every answer of POST B/cosignatures. */

const name = 'openapi.example/witness';
const key = crypto.generateKeyPairSync('ed25519').privateKey;
export const witnessEnv = { LEDGER_WITNESSES: JSON.stringify([{ vkey: vkeyOf(name, rawPublicKey(key), COSIGNATURE_V1), title: 'OpenAPI' }]) };

export function witnessCases(t: TestApp, base: string) {
  const url = `${base}/cosignatures`;
  const head = async () => (await t.client().get(`${base}/checkpoint`)).body;
  const cosigned = (note: string) => note + cosignatureLine(splitNote(note).text, name, key, Math.floor(Date.now() / 1000));
  const never = async () => {
    const cp = parseCheckpoint(splitNote(await head()).text);
    return signNote(formatCheckpoint({ ...cp, root: crypto.randomBytes(32) }), [{ name: cp.origin, privateKey: key }]);
  };
  return [
    // Before the 200: the head served afterwards carries the witness's line.
    { method: 'POST' as const, url, text: head, status: 403 },
    { method: 'POST' as const, url, text: async () => cosigned(await head()), status: 200 },
    { method: 'POST' as const, url, text: async () => 'not a note\n', status: 400 },
    { method: 'POST' as const, url: url.replace(/petition:\d+/, 'petition:9999'), text: async () => cosigned(await head()), status: 404 },
    { method: 'POST' as const, url, text: async () => cosigned(await never()), status: 409 },
  ];
}
