import { TestBed } from '@angular/core/testing';
import { Store } from '@ngrx/store';
import { firstValueFrom } from 'rxjs';
import { selectMetricEntities } from '../../domain/domain.selectors';
import { provideAppForTest } from '../../../testing/app-testing';
import { MetricsPage } from './metrics-page.component';

describe('MetricsPage', () => {
  it("records the chosen day's notes and lists the day", async () => {
    TestBed.configureTestingModule({ imports: [MetricsPage], providers: provideAppForTest() });
    const fixture = TestBed.createComponent(MetricsPage);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const set = async (testId: string, value: string) => {
      const input = el.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`)!;
      input.value = value;
      input.dispatchEvent(new Event('input'));
      await fixture.whenStable();
    };
    await set('metric-day', '2026-02-03');
    await set('metric-notes', 'Calm day');
    el.querySelector<HTMLButtonElement>('[data-testid="metric-save"]')!.click();
    await fixture.whenStable();

    const metric = (await firstValueFrom(TestBed.inject(Store).select(selectMetricEntities)))['2026-02-03'];
    expect(metric).toEqual(jasmine.objectContaining({ notes: 'Calm day', mood: 5, productivity: 5, version: 1 }));
    expect(el.querySelector('[data-testid="metric-row"]')?.textContent).toContain('2026-02-03');
  });
});
