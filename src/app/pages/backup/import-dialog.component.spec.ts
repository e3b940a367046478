import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA } from '@angular/material/dialog';
import { ImportDialog } from './import-dialog.component';

describe('ImportDialog', () => {
  it('lists every problem of a refused file and offers no way to import it', async () => {
    TestBed.configureTestingModule({
      imports: [ImportDialog],
      providers: [{ provide: MAT_DIALOG_DATA, useValue: { fileName: 'bad.json', result: { ok: false, errors: ["task 'a': title must be a string", 'data.project is missing'] } } }],
    });
    const fixture = TestBed.createComponent(ImportDialog);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const items = [...el.querySelectorAll('[data-testid="import-errors"] li')].map((li) => li.textContent!.trim());
    expect(items).toEqual(["task 'a': title must be a string", 'data.project is missing']);
    expect(el.querySelector('[data-testid="import-confirm"]')).toBeNull();
    expect(el.textContent).toContain('Nothing was changed');
  });
});

describe('ImportDialog for a file it can import', () => {
  async function render(data: object) {
    TestBed.configureTestingModule({ imports: [ImportDialog], providers: [{ provide: MAT_DIALOG_DATA, useValue: data }] });
    const fixture = TestBed.createComponent(ImportDialog);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }
  const result = { ok: true, source: 'own-export', data: { task: [1, 2], project: [1], tag: [], metric: [] }, warnings: [] };
  const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

  it('says before the import what replacing deletes, that every synced device gets it, and offers merging instead', async () => {
    const el = await render({
      fileName: 'backup.json',
      result,
      impact: { deletes: { task: 10_000, project: 10, tag: 0, metric: 0 }, totalDeletes: 10_010 },
      syncsTo: 'WebDAV at https://dav.example/',
    });
    expect(text(el.querySelector('[data-testid="import-impact"]'))).toContain('it deletes 10000 tasks and 10 projects that are in the app now and not in the backup');
    expect(text(el.querySelector('[data-testid="import-devices"]'))).toBe(
      'devices This device syncs to WebDAV at https://dav.example/: every device that syncs there gets the same change at its next sync, deletes included.',
    );
    expect(el.querySelector('[data-testid="import-merge"]')).not.toBeNull();
    expect(el.querySelector('[data-testid="import-confirm"]')).not.toBeNull();
  });

  it('with sync off, says only this app changes', async () => {
    const el = await render({ fileName: 'backup.json', result, impact: { deletes: { task: 0, project: 0, tag: 0, metric: 0 }, totalDeletes: 0 }, syncsTo: null });
    expect(text(el.querySelector('[data-testid="import-devices"]'))).toBe('Sync is off: only this app changes.');
    expect(text(el.querySelector('[data-testid="import-impact"]'))).toContain('nothing is deleted');
  });
});
