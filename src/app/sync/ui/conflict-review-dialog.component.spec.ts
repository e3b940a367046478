import { TestBed } from '@angular/core/testing';
import { MockStore } from '@ngrx/store/testing';
import { SyncUiActions } from '../store/sync.actions';
import { SyncState } from '../store/sync.reducer';
import { ConflictReviewDialog } from './conflict-review-dialog.component';
import { aConflict, aDevice, allByTestId, byTestId, NOW, provideSyncStore, setSync, text } from './sync-ui-testing';

describe('ConflictReviewDialog', () => {
  async function render(state: Partial<SyncState>) {
    TestBed.configureTestingModule({ imports: [ConflictReviewDialog], providers: provideSyncStore(state) });
    const store = TestBed.inject(MockStore);
    const dispatch = spyOn(store, 'dispatch');
    const fixture = TestBed.createComponent(ConflictReviewDialog);
    await fixture.whenStable();
    return { el: fixture.nativeElement as HTMLElement, store, dispatch, fixture };
  }

  const devices = [aDevice('replica-a', 'Laptop', true), aDevice('replica-b', 'Phone')];

  it('shows the title, the field, both values side by side with their devices, the winner first', async () => {
    const { el } = await render({ conflicts: [aConflict()], devices });
    const item = byTestId(el, 'conflict-item')!;
    expect(text(byTestId(item, 'conflict-title'))).toBe('Write the report');
    expect(text(byTestId(item, 'conflict-field'))).toBe('Title');
    expect(text(byTestId(item, 'conflict-shown-value'))).toBe('Write the report');
    expect(text(byTestId(item, 'conflict-other-value'))).toBe('Write the summary');
    expect(text(item)).toContain('Shown now');
    expect(text(item)).toContain('Laptop (this device)');
    expect(text(item)).toContain('Phone');
  });

  it('keeps the shown value or uses the other with the matching stamp', async () => {
    const { el, dispatch } = await render({ conflicts: [aConflict()], devices });
    byTestId(el, 'conflict-keep')!.click();
    expect(dispatch).toHaveBeenCalledWith(SyncUiActions.resolveConflict({ entityType: 'task', id: 't1', field: 'title', stamp: 'stamp-a' }));
    byTestId(el, 'conflict-use-other')!.click();
    expect(dispatch).toHaveBeenCalledWith(SyncUiActions.resolveConflict({ entityType: 'task', id: 't1', field: 'title', stamp: 'stamp-b' }));
  });

  it('explains a delete against an edit, with the edit in effect even when the delete is newer', async () => {
    const conflict = aConflict({
      field: '_del',
      shown: { value: true, device: 'replica-b', at: NOW - 1000, stamp: 'stamp-del' },
      others: [{ value: false, device: 'replica-a', at: NOW - 5000, stamp: 'stamp-edit' }],
    });
    const { el, dispatch } = await render({ conflicts: [conflict], devices });
    expect(text(byTestId(el, 'conflict-field'))).toBe('Deleted on one device, edited on another');
    expect(text(byTestId(el, 'conflict-shown-value'))).toBe('Kept, with an edit');
    expect(text(byTestId(el, 'conflict-other-value'))).toBe('Deleted');
    byTestId(el, 'conflict-keep')!.click();
    expect(dispatch).toHaveBeenCalledWith(SyncUiActions.resolveConflict({ entityType: 'task', id: 't1', field: '_del', stamp: 'stamp-edit' }));
    byTestId(el, 'conflict-use-other')!.click();
    expect(dispatch).toHaveBeenCalledWith(SyncUiActions.resolveConflict({ entityType: 'task', id: 't1', field: '_del', stamp: 'stamp-del' }));
  });

  it('formats booleans and per-day times readably', async () => {
    const { el } = await render({
      conflicts: [
        aConflict({ id: 'a', field: 'isDone', shown: { value: true, device: 'replica-a', at: NOW, stamp: 's1' }, others: [{ value: false, device: 'replica-b', at: NOW, stamp: 's2' }] }),
        aConflict({ id: 'b', field: 'timeSpentOnDay/2026-11-24', shown: { value: 3600_000, device: 'replica-a', at: NOW, stamp: 's3' }, others: [{ value: 1800_000, device: 'replica-b', at: NOW, stamp: 's4' }] }),
      ],
      devices,
    });
    const items = allByTestId(el, 'conflict-item');
    expect(text(byTestId(items[0], 'conflict-field'))).toBe('Done');
    expect(text(byTestId(items[0], 'conflict-shown-value'))).toBe('Done');
    expect(text(byTestId(items[0], 'conflict-other-value'))).toBe('Not done');
    expect(text(byTestId(items[1], 'conflict-field'))).toBe('Time spent on 2026-11-24');
    expect(text(byTestId(items[1], 'conflict-shown-value'))).toBe('1h');
    expect(text(byTestId(items[1], 'conflict-other-value'))).toBe('30m');
  });

  it('dismisses all, and says so when nothing is left', async () => {
    const { el, dispatch, store, fixture } = await render({ conflicts: [aConflict(), aConflict({ id: 't2' })], devices });
    expect(allByTestId(el, 'conflict-item').length).toBe(2);
    byTestId(el, 'conflicts-dismiss-all')!.click();
    expect(dispatch).toHaveBeenCalledWith(SyncUiActions.dismissAllConflicts());
    setSync(store, { conflicts: [], devices });
    await fixture.whenStable();
    expect(allByTestId(el, 'conflict-item').length).toBe(0);
    expect(byTestId(el, 'conflicts-empty')).not.toBeNull();
    expect(byTestId(el, 'conflicts-dismiss-all')).toBeNull();
  });
});
