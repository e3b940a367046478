import { TestBed } from '@angular/core/testing';
import { Store } from '@ngrx/store';
import { firstValueFrom } from 'rxjs';
import { ProjectPageActions } from '../../domain/project/project.actions';
import { selectProjectEntities } from '../../domain/domain.selectors';
import { aProject } from '../../../testing/domain-testing';
import { provideAppForTest } from '../../../testing/app-testing';
import { ProjectPage } from './project-page.component';

describe('ProjectPage', () => {
  async function open() {
    TestBed.configureTestingModule({ imports: [ProjectPage], providers: provideAppForTest() });
    const store = TestBed.inject(Store);
    store.dispatch(ProjectPageActions.addProject({ project: aProject('p') }));
    const fixture = TestBed.createComponent(ProjectPage);
    fixture.componentRef.setInput('id', 'p');
    await fixture.whenStable();
    return { fixture, store, el: fixture.nativeElement as HTMLElement };
  }

  it('adds a typed task to the project and shows it in the list', async () => {
    const { fixture, store, el } = await open();
    const input = el.querySelector<HTMLInputElement>('[data-testid="add-task-input"]')!;
    input.value = 'Buy milk';
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    input.closest('form')!.dispatchEvent(new Event('submit'));
    await fixture.whenStable();
    fixture.detectChanges();
    await fixture.whenStable();

    const project = (await firstValueFrom(store.select(selectProjectEntities)))['p']!;
    expect(project.taskIds.length).toBe(1);
    expect(el.querySelector('[data-testid="task-row"]')?.textContent).toContain('Buy milk');
    fixture.detectChanges();
    await fixture.whenStable();
    expect(input.value).toBe('');
  });

  it('shows the project title and a not-found message for an unknown id', async () => {
    const { fixture, el } = await open();
    expect(el.querySelector('[data-testid="page-title"]')?.textContent).toContain('Project p');
    fixture.componentRef.setInput('id', 'unknown');
    await fixture.whenStable();
    expect(el.textContent).toContain('Project not found');
  });
});
