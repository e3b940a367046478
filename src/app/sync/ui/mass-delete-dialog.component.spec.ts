import { TestBed } from '@angular/core/testing';
import { MatDialogRef } from '@angular/material/dialog';
import { MockStore } from '@ngrx/store/testing';
import { SyncUiActions } from '../store/sync.actions';
import { MassDeleteDialog } from './mass-delete-dialog.component';
import { byTestId, provideSyncStore, text } from './sync-ui-testing';

describe('MassDeleteDialog', () => {
  async function render() {
    const close = jasmine.createSpy('close');
    TestBed.configureTestingModule({
      imports: [MassDeleteDialog],
      providers: [...provideSyncStore({ pendingMassDelete: { incoming: 0, outgoing: 1, entities: 1 } }), { provide: MatDialogRef, useValue: { close } }],
    });
    const dispatch = spyOn(TestBed.inject(MockStore), 'dispatch');
    const fixture = TestBed.createComponent(MassDeleteDialog);
    await fixture.whenStable();
    return { el: fixture.nativeElement as HTMLElement, dispatch, close };
  }

  it('counts what would go, from where, out of how many', async () => {
    const { el } = await render();
    expect(text(byTestId(el, 'mass-delete-text'))).toBe(
      'This sync would delete 1 item (0 from other devices, 1 from this one) out of 1. Delete them, or keep everything for now?',
    );
  });

  it('confirms the delete and closes', async () => {
    const { el, dispatch, close } = await render();
    byTestId(el, 'mass-delete-confirm')!.click();
    expect(dispatch).toHaveBeenCalledWith(SyncUiActions.confirmMassDelete());
    expect(close).toHaveBeenCalledWith(true);
  });

  it('keeps everything for now and closes', async () => {
    const { el, dispatch, close } = await render();
    byTestId(el, 'mass-delete-cancel')!.click();
    expect(dispatch).toHaveBeenCalledWith(SyncUiActions.cancelMassDelete());
    expect(close).toHaveBeenCalledWith(false);
  });
});
