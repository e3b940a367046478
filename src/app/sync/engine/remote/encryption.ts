import { ReadOptions, ReadResult, RemoteEntry, RemoteStore, WriteOptions, WriteResult } from './remote-store';
import { SyncError } from '../sync-error';

/**
 * End-to-end encryption of every file the engine writes: AES-256-GCM through WebCrypto, the key
 * derived from the user's passphrase with PBKDF2-SHA256, a fresh IV per file. It wraps any
 * RemoteStore, so providers and the round know nothing of it; the server sees only envelopes.
 *
 * Envelope: "SSE1" | iterations (uint32 BE) | salt (16) | iv (12) | ciphertext with GCM tag.
 */
const MAGIC = [0x53, 0x53, 0x45, 0x31];
const HEADER = 4 + 4 + 16 + 12;
export const MIN_ITERATIONS = 600_000;
const MAX_ITERATIONS = 10_000_000;

export function isEncrypted(bytes: Uint8Array): boolean {
  return bytes.length >= HEADER && MAGIC.every((byte, i) => bytes[i] === byte);
}

export class EncryptingStore implements RemoteStore {
  private readonly keys = new Map<string, Promise<CryptoKey>>();
  /** The salt this device writes with: the remote's own, once one file has been read. */
  private salt: Uint8Array | null = null;

  private readonly iterations: number;
  private readonly writesPlain: boolean;

  /**
   * `writes: 'plain'` reads encrypted files but writes plain ones: the store a device uses for
   * the one round that turns encryption off (`sync({ rewrite: true })`).
   */
  constructor(
    private readonly inner: RemoteStore,
    private readonly passphrase: string,
    options: { iterations?: number; writes?: 'encrypted' | 'plain' } = {},
  ) {
    this.iterations = options.iterations ?? MIN_ITERATIONS;
    this.writesPlain = options.writes === 'plain';
    if (passphrase.length === 0) throw new Error('An empty passphrase cannot encrypt anything.');
    if (this.iterations < MIN_ITERATIONS) throw new Error(`PBKDF2 needs at least ${MIN_ITERATIONS} iterations.`);
  }

  get label(): string {
    return `${this.inner.label} (end-to-end encrypted)`;
  }

  async read(path: string, options?: ReadOptions): Promise<ReadResult> {
    const result = await this.inner.read(path, options);
    if (result.status !== 'ok' || !isEncrypted(result.data)) return result;
    return { ...result, data: await this.decrypt(result.data, path) };
  }

  async write(path: string, data: Uint8Array, options?: WriteOptions): Promise<WriteResult> {
    return this.inner.write(path, this.writesPlain ? data : await this.encrypt(data), options);
  }

  delete(path: string): Promise<void> {
    return this.inner.delete(path);
  }

  list(folder: string): Promise<RemoteEntry[]> {
    return this.inner.list(folder);
  }

  private key(salt: Uint8Array, iterations: number): Promise<CryptoKey> {
    const id = `${iterations}:${Array.from(salt, (b) => b.toString(16).padStart(2, '0')).join('')}`;
    let key = this.keys.get(id);
    if (!key) {
      key = (async () => {
        const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(this.passphrase), 'PBKDF2', false, ['deriveKey']);
        return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations }, material, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
      })();
      this.keys.set(id, key);
    }
    return key;
  }

  private async encrypt(data: Uint8Array): Promise<Uint8Array> {
    this.salt ??= crypto.getRandomValues(new Uint8Array(16));
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const key = await this.key(this.salt, this.iterations);
    const cipher = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, data as BufferSource));
    const out = new Uint8Array(HEADER + cipher.length);
    out.set(MAGIC, 0);
    new DataView(out.buffer).setUint32(4, this.iterations);
    out.set(this.salt, 8);
    out.set(iv, 24);
    out.set(cipher, HEADER);
    return out;
  }

  private async decrypt(bytes: Uint8Array, path: string): Promise<Uint8Array> {
    const iterations = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4);
    if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
      throw new SyncError('invalid-remote-data', `${path} on the server claims an encryption strength this app does not accept. Nothing was applied.`, { path });
    }
    const salt = bytes.slice(8, 24);
    const iv = bytes.slice(24, 36);
    try {
      const key = await this.key(salt, iterations);
      const plain = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, bytes.slice(HEADER) as BufferSource));
      this.salt ??= salt;
      return plain;
    } catch {
      throw new SyncError('encryption', 'The passphrase does not open this sync folder: it was encrypted with another one. Nothing was changed; check the passphrase in the sync settings.', { path });
    }
  }
}
