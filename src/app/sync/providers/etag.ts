/**
 * Brings every ETag a WebDAV server may send into one strong, quoted form, so that the ETag of a
 * GET, of a PUT and of a PROPFIND compare equal and can be sent back in If-Match / If-None-Match:
 *
 * - `W/"abc"` -> `"abc"`: a weak ETag never matches If-Match, which compares strongly.
 * - `abc` (quotes dropped by `stat`, or nephele's unquoted `getetag`) -> `"abc"`.
 * - `12345` parsed as a number by an XML parser -> `"12345"`.
 * - `"abc-gzip"` / `"abc;gzip"` (Apache mod_deflate, Nextcloud) -> `"abc"`: the suffix only marks the
 *   compressed representation and makes If-Match fail.
 *
 * Returns null for a missing or empty ETag.
 */
export function normaliseEtag(raw: unknown): string | null {
  if (raw === null || raw === undefined) return null;
  let value = String(raw).trim();
  if (value.startsWith('W/') || value.startsWith('w/')) value = value.slice(2);
  value = value.replace(/^"+|"+$/g, '');
  value = value.replace(/[-;]gzip$/, '');
  if (value === '') return null;
  return `"${value}"`;
}
