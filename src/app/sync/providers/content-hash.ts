/**
 * A revision for servers that send no ETag: the SHA-256 of the bytes last read or written.
 * The prefix keeps it apart from real ETags, which are always quoted.
 */
export const CONTENT_HASH_PREFIX = 'sha256:';

export async function contentHashRevision(data: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>);
  const hex = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return CONTENT_HASH_PREFIX + hex;
}

export function isContentHashRevision(revision: string): boolean {
  return revision.startsWith(CONTENT_HASH_PREFIX);
}
