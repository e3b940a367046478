import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { Store } from '@ngrx/store';
import { firstValueFrom } from 'rxjs';
import { DomainState } from '../../../domain/domain-state';
import { selectDomainState } from '../../../domain/domain.selectors';
import { ProjectPageActions } from '../../../domain/project/project.actions';
import { TagPageActions } from '../../../domain/tag/tag.actions';
import { TaskPageActions } from '../../../domain/task/task.actions';
import { aProject, aTag, aTask } from '../../../../testing/domain-testing';
import { provideAppForTest } from '../../../../testing/app-testing';
import { TaskEditorDialog } from './task-editor-dialog.component';

describe('TaskEditorDialog', () => {
  async function open() {
    const close = jasmine.createSpy('close');
    TestBed.configureTestingModule({
      imports: [TaskEditorDialog],
      providers: [
        ...provideAppForTest(),
        { provide: MAT_DIALOG_DATA, useValue: { taskId: 'a' } },
        { provide: MatDialogRef, useValue: { close } },
      ],
    });
    const store = TestBed.inject(Store);
    store.dispatch(ProjectPageActions.addProject({ project: aProject('p') }));
    store.dispatch(ProjectPageActions.addProject({ project: aProject('q') }));
    store.dispatch(TagPageActions.addTag({ tag: aTag('x') }));
    store.dispatch(TaskPageActions.addTask({ task: aTask('a', { title: 'Old', projectId: 'p' }) }));
    const fixture = TestBed.createComponent(TaskEditorDialog);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const type = async (testId: string, value: string) => {
      const input = el.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[data-testid="${testId}"]`)!;
      input.value = value;
      input.dispatchEvent(new Event('input'));
      await fixture.whenStable();
    };
    const state = () => firstValueFrom(store.select(selectDomainState)) as Promise<DomainState>;
    return { fixture, el, type, state, close, component: fixture.componentInstance as unknown as Record<string, { set(v: unknown): void }> };
  }

  it('saves title, notes, estimate and due day together', async () => {
    const { el, type, state, close } = await open();
    await type('edit-title', 'New title');
    await type('edit-notes', 'Some notes');
    await type('edit-estimate', '90');
    await type('edit-due', '2026-03-04');
    el.querySelector<HTMLButtonElement>('[data-testid="editor-save"]')!.click();
    expect((await state()).task.entities['a']).toEqual(jasmine.objectContaining({
      title: 'New title', notes: 'Some notes', timeEstimate: 90 * 60_000, dueDay: '2026-03-04',
    }));
    expect(close).toHaveBeenCalled();
  });

  it('saves only what was changed in the dialog: notes and a tag written elsewhere while it was open stay', async () => {
    const { el, type, state } = await open();
    const store = TestBed.inject(Store);
    // Another tab or device, while this dialog is open.
    store.dispatch(TagPageActions.addTag({ tag: aTag('y') }));
    store.dispatch(TaskPageActions.updateTask({ id: 'a', changes: { notes: 'Written elsewhere' } }));
    store.dispatch(TaskPageActions.setTaskTags({ id: 'a', tagIds: ['y'] }));
    await type('edit-title', 'Renamed here');
    el.querySelector<HTMLButtonElement>('[data-testid="editor-save"]')!.click();
    const task = (await state()).task.entities['a']!;
    expect(task.title).toBe('Renamed here');
    expect(task.notes).toBe('Written elsewhere');
    expect(task.tagIds).toEqual(['y']);
  });

  it('moves the task to the chosen project and tags it on save', async () => {
    const { el, state, component, fixture } = await open();
    component['projectId'].set('q');
    component['tagIds'].set(['x']);
    await fixture.whenStable();
    el.querySelector<HTMLButtonElement>('[data-testid="editor-save"]')!.click();
    const s = await state();
    expect(s.project.entities['q']!.taskIds).toEqual(['a']);
    expect(s.project.entities['p']!.taskIds).toEqual([]);
    expect(s.tag.entities['x']!.taskIds).toEqual(['a']);
  });

  it('adds a subtask from the editor under this task', async () => {
    const { el, type, state, fixture } = await open();
    await type('new-subtask', 'Step one');
    el.querySelector('[data-testid="new-subtask"]')!.closest('form')!.dispatchEvent(new Event('submit'));
    await fixture.whenStable();
    const s = await state();
    const [subId] = s.task.entities['a']!.subTaskIds;
    expect(s.task.entities[subId]).toEqual(jasmine.objectContaining({ title: 'Step one', parentId: 'a', projectId: 'p' }));
    expect(el.querySelectorAll('[data-testid="editor-subtask"]').length).toBe(1);
  });
});
