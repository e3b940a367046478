import { TestBed } from '@angular/core/testing';
import { Store } from '@ngrx/store';
import { App } from './app';
import { ProjectPageActions } from './domain/project/project.actions';
import { PersistenceStatusActions } from './persistence/persistence.actions';
import { aProject } from '../testing/domain-testing';
import { provideAppForTest } from '../testing/app-testing';

describe('App shell', () => {
  async function render() {
    TestBed.configureTestingModule({ imports: [App], providers: provideAppForTest() });
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    return { fixture, store: TestBed.inject(Store), el: fixture.nativeElement as HTMLElement };
  }

  it('lists active projects in the side nav, not archived ones', async () => {
    const { fixture, store, el } = await render();
    store.dispatch(ProjectPageActions.addProject({ project: { ...aProject('p'), title: 'Work' } }));
    store.dispatch(ProjectPageActions.addProject({ project: { ...aProject('q'), title: 'Old' } }));
    store.dispatch(ProjectPageActions.archiveProject({ id: 'q', isArchived: true }));
    await fixture.whenStable();
    const names = [...el.querySelectorAll('[data-testid="nav-project"]')].map((a) => a.textContent!.trim());
    expect(names).toEqual(['Work']);
  });

  it('shows the sync status indicator in its toolbar slot', async () => {
    const { el } = await render();
    const slot = el.querySelector('mat-toolbar [data-testid="sync-status-slot"]');
    expect(slot).not.toBeNull();
    expect(slot!.querySelector('app-sync-status')).not.toBeNull();
  });

  it('shows a failed write as a snack bar and an error icon', async () => {
    const { fixture, store, el } = await render();
    store.dispatch(PersistenceStatusActions.writeFailed({ message: 'Saving failed: disk full' }));
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="save-error"]')).not.toBeNull();
    expect(document.querySelector('mat-snack-bar-container')?.textContent).toContain('Saving failed: disk full');
  });
});
