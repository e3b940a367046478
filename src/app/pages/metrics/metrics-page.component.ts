import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSliderModule } from '@angular/material/slider';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Store } from '@ngrx/store';
import { selectAllMetrics, selectMetricEntities } from '../../domain/domain.selectors';
import { newMetric, toDayString } from '../../domain/entity-factories';
import { MetricsPageActions } from '../../domain/metric/metric.actions';
import { EntityStamp } from '../shared/entity-stamp.service';

/** Records how a day went (mood, productivity, notes) and lists the days recorded. */
@Component({
  selector: 'app-metrics-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, MatFormFieldModule, MatInputModule, MatSliderModule, MatButtonModule, MatIconModule],
  templateUrl: './metrics-page.component.html',
  styleUrl: './metrics-page.component.scss',
})
export class MetricsPage {
  private readonly store = inject(Store);
  private readonly stamp = inject(EntityStamp);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly metrics = this.store.selectSignal(selectAllMetrics);
  private readonly byDay = this.store.selectSignal(selectMetricEntities);

  protected readonly day = signal(toDayString(this.stamp.now()));
  protected readonly mood = signal(5);
  protected readonly productivity = signal(5);
  protected readonly notes = signal('');
  protected readonly existing = computed(() => this.byDay()[this.day()]);

  constructor() {
    // Choosing a day that already has a record loads it into the form.
    effect(() => {
      const metric = this.existing();
      this.mood.set(metric?.mood ?? 5);
      this.productivity.set(metric?.productivity ?? 5);
      this.notes.set(metric?.notes ?? '');
    });
  }

  protected save(): void {
    const day = this.day();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return;
    const metric = newMetric(day, { mood: this.mood(), productivity: this.productivity(), notes: this.notes() }, this.stamp.stamp());
    this.store.dispatch(MetricsPageActions.saveMetric({ metric }));
    this.snackBar.open(`Saved ${day}`, undefined, { duration: 2000 });
  }

  protected select(day: string): void {
    this.day.set(day);
  }

  protected barWidth(value: number | null): string {
    return `${Math.max(0, Math.min(10, value ?? 0)) * 10}%`;
  }
}
