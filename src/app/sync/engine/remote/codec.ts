import { SyncError as SyncErrorForCodec } from '../sync-error';
/** Bytes on the wire: JSON text, gzip-compressed for delta and snapshot files. */
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function jsonBytes(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

export function parseJsonBytes(bytes: Uint8Array): unknown {
  return JSON.parse(decoder.decode(bytes));
}

async function pipe(bytes: Uint8Array, transform: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(transform as unknown as ReadableWritablePair<Uint8Array, Uint8Array>);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  return pipe(bytes, new CompressionStream('gzip'));
}

/** No sync file may unpack to more than this: a small hostile file cannot fill the memory. */
export const MAX_UNPACKED_BYTES = 256 * 1024 * 1024;

export async function gunzip(bytes: Uint8Array, limit = MAX_UNPACKED_BYTES): Promise<Uint8Array> {
  const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw new SyncErrorForCodec('invalid-remote-data', `A file on the server unpacks to more than ${Math.round(limit / 1024 / 1024)} MB; it is not a sync file this app wrote. Nothing was applied.`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Bytes of a remote file → JSON: refuses encrypted files it cannot open, unzips, parses. */
export async function decodeRemoteJson(bytes: Uint8Array, path: string, encrypted: (bytes: Uint8Array) => boolean): Promise<unknown> {
  if (encrypted(bytes)) {
    throw new SyncErrorForCodec('encryption', `This sync folder is end-to-end encrypted (${path}). Enter its passphrase in the sync settings to sync this device; nothing was changed.`, { path });
  }
  return parseJsonBytes(isGzip(bytes) ? await gunzip(bytes) : bytes);
}
