import { APIRequestContext, expect, test } from '@playwright/test';
import { gunzipSync } from 'node:zlib';
import { NEPHELE_URL } from './sync-servers';
import { connectWebDav, createProject, openDevice, saved, syncNow, uniqueFolder } from './sync-helpers';

test.describe.configure({ timeout: 120_000 });

/** Every file under the sync folder, read straight from the server, unzipped where it is gzip: what anyone with the server's disk can read. */
async function folderText(request: APIRequestContext, folder: string): Promise<{ files: string[]; text: string }> {
  const files: string[] = [];
  const chunks: string[] = [];
  const visit = async (url: string): Promise<void> => {
    const listing = await request.fetch(url, { method: 'PROPFIND', headers: { Depth: '1' } });
    expect(listing.status()).toBe(207);
    const hrefs = [...(await listing.text()).matchAll(/<(?:\w+:)?href>([^<]+)<\/(?:\w+:)?href>/g)].map((m) => new URL(decodeURIComponent(m[1]!), url).href);
    for (const href of hrefs) {
      if (href === url || href === `${url}/`) continue;
      if (href.endsWith('/')) await visit(href);
      else {
        const body = await (await request.get(href)).body();
        files.push(href.slice(NEPHELE_URL.length));
        chunks.push(body.toString('latin1'));
        if (body[0] === 0x1f && body[1] === 0x8b) chunks.push(gunzipSync(body).toString('utf8'));
      }
    }
  };
  await visit(`${NEPHELE_URL}${folder}/`);
  return { files, text: chunks.join('\n') };
}

test('saving an encryption passphrase rewrites the remote at once: no file on the server holds a task title afterwards', async ({ browser, request }) => {
  const folder = uniqueFolder('encrypt');
  const device = await openDevice(browser, 'A');
  try {
    await createProject(device.page, 'Private', ['Surprise party for Alex']);
    await connectWebDav(device.page, { url: NEPHELE_URL, folder });
    await syncNow(device.page);
    // The check can see a title: before encryption it finds one.
    const before = await folderText(request, folder);
    expect(before.text).toContain('Surprise party for Alex');

    await device.page.getByTestId('webdav-passphrase').fill('correct horse battery staple');
    await device.page.getByTestId('sync-save').click();
    await expect(async () => {
      const after = await folderText(request, folder);
      expect(after.files.some((file) => file.includes('snapshots/'))).toBe(true);
      expect(after.text).not.toContain('Surprise party for Alex');
      expect(after.text).not.toContain('Private');
    }).toPass({ timeout: 30_000, intervals: [500, 1000, 2000] });
    await saved(device.page);

    // Turned off again: one round reads with the old passphrase and writes everything in plain form.
    await device.page.getByTestId('webdav-passphrase').fill('');
    await device.page.getByTestId('sync-save').click();
    await expect(async () => {
      const plain = await folderText(request, folder);
      expect(plain.text).toContain('Surprise party for Alex');
    }).toPass({ timeout: 30_000, intervals: [500, 1000, 2000] });
    await syncNow(device.page);
  } finally {
    await device.context.close();
  }
});
