import zlib from 'node:zlib';

/** One PNG chunk, length and CRC included. */
function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(8 + data.length + 4);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(zlib.crc32(body), 8 + data.length);
  return out;
}

/** A complete, valid PNG from its header fields and unfiltered rows (each row starts with its filter byte). */
function png(width: number, height: number, bitDepth: number, colorType: number, rows: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([bitDepth, colorType, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A real 2×2 RGB PNG: red, black / green, white. */
export function tinyPng(): Buffer {
  return png(2, 2, 8, 2, Buffer.from([0, 255, 0, 0, 0, 0, 0, 0, 0, 255, 0, 255, 255, 255]));
}

/**
 * A decompression bomb: a valid PNG of `side`×`side` one-bit pixels, all black, whose zeros deflate
 * ~1000:1, so 20000×20000 (400 million pixels, 1.6 GB as RGBA) is a file of about 50 KB.
 */
export function bombPng(side = 20_000): Buffer {
  return png(side, side, 1, 0, Buffer.alloc(side * (1 + Math.ceil(side / 8))));
}

/** A one-page PDF with a correct cross-reference table; `extra` objects go after the page (e.g. a script action). */
export function tinyPdf(options: { extra?: string[]; comment?: string; before?: string } = {}): Buffer {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>', ...(options.extra ?? [])];
  let text = `${options.before ?? ''}%PDF-1.4\n${options.comment ? `%${options.comment}\n` : ''}`;
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(text, 'latin1'));
    text += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(text, 'latin1');
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(text, 'latin1');
}
