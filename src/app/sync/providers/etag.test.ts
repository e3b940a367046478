import { normaliseEtag } from './etag';

describe('normaliseEtag', () => {
  it('keeps a strong quoted ETag as it is', () => {
    expect(normaliseEtag('"abc123"')).toBe('"abc123"');
  });

  it('strips W/ from a weak ETag, since If-Match compares strongly', () => {
    expect(normaliseEtag('W/"abc123"')).toBe('"abc123"');
    expect(normaliseEtag('W/abc123')).toBe('"abc123"');
  });

  it('adds the quotes that stat and nephele drop', () => {
    expect(normaliseEtag('3756a458')).toBe('"3756a458"');
  });

  it('turns an ETag the XML parser made a number back into a quoted string', () => {
    expect(normaliseEtag(25259787)).toBe('"25259787"');
  });

  it("drops the -gzip suffix Apache's mod_deflate (Nextcloud) adds to compressed answers", () => {
    expect(normaliseEtag('"5f2b-5d1a-gzip"')).toBe('"5f2b-5d1a"');
    expect(normaliseEtag('W/"5f2b;gzip"')).toBe('"5f2b"');
  });

  it('reads a missing or empty ETag as none', () => {
    expect(normaliseEtag(null)).toBeNull();
    expect(normaliseEtag(undefined)).toBeNull();
    expect(normaliseEtag('""')).toBeNull();
  });
});
