import { SyncError as SyncErrorForCodec } from './sync-error';
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

export function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  return pipe(bytes, new DecompressionStream('gzip'));
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
