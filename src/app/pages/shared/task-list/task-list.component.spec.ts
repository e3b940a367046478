import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Store } from '@ngrx/store';
import { TaskRow } from '../../../domain/domain.selectors';
import { TaskPageActions } from '../../../domain/task/task.actions';
import { aTask } from '../../../../testing/domain-testing';
import { provideAppForTest } from '../../../../testing/app-testing';
import { TaskList } from './task-list.component';

@Component({
  imports: [TaskList],
  template: `<div style="height: 600px; display: flex; flex-direction: column"><app-task-list [rows]="rows()" [list]="{ kind: 'project', id: 'p' }" /></div>`,
})
class Host {
  readonly rows = signal<TaskRow[]>([]);
}

describe('TaskList', () => {
  function render(rows: TaskRow[]) {
    TestBed.configureTestingModule({ imports: [Host], providers: provideAppForTest() });
    const fixture = TestBed.createComponent(Host);
    fixture.componentInstance.rows.set(rows);
    return fixture;
  }

  it('renders only the visible part of a 10,000 task list, in well under a second', async () => {
    const rows: TaskRow[] = Array.from({ length: 10_000 }, (_, i) => ({ task: aTask(`t${i}`, { title: `Task ${i}` }), depth: 0 }));
    const started = performance.now();
    const fixture = render(rows);
    await fixture.whenStable();
    fixture.detectChanges();
    await fixture.whenStable();
    const rendered = fixture.nativeElement.querySelectorAll('[data-testid="task-row"]');
    expect(rendered.length).toBeGreaterThan(5);
    expect(rendered.length).toBeLessThan(60);
    expect(rendered[0].textContent).toContain('Task 0');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('completes a task when its checkbox is clicked', async () => {
    const store = () => TestBed.inject(Store);
    const fixture = render([{ task: aTask('a', { title: 'Write' }), depth: 0 }]);
    const dispatch = spyOn(store(), 'dispatch');
    await fixture.whenStable();
    fixture.detectChanges();
    (fixture.nativeElement.querySelector('[data-testid="task-done"] input') as HTMLInputElement).click();
    expect(dispatch).toHaveBeenCalledWith(TaskPageActions.setTaskDone({ id: 'a', isDone: true, doneOn: 1_760_000_000_000 }));
  });

  it('says so when the list is empty', async () => {
    const fixture = render([]);
    await fixture.whenStable();
    expect(fixture.nativeElement.querySelector('[data-testid="empty-list"]').textContent).toContain('No tasks yet.');
  });
});
