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
