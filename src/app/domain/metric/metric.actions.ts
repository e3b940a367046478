import { createActionGroup, props } from '@ngrx/store';
import { Metric } from './metric.model';

export const MetricsPageActions = createActionGroup({
  source: 'Metrics Page',
  events: {
    /** Records a day; when the day already has a metric only mood, productivity and notes change. */
    'Save Metric': props<{ metric: Metric }>(),
  },
});
