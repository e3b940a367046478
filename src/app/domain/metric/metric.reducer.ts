import { createEntityAdapter, EntityState } from '@ngrx/entity';
import { createReducer, on } from '@ngrx/store';
import { applyRemoteEntities } from '../apply-remote';
import { ImportActions, PersistenceActions, RemoteEntitiesActions } from '../app-data.actions';
import { MetricsPageActions } from './metric.actions';
import { Metric } from './metric.model';

export type MetricState = EntityState<Metric>;

export const metricAdapter = createEntityAdapter<Metric>({
  sortComparer: (a, b) => b.id.localeCompare(a.id),
});

export const metricReducer = createReducer<MetricState>(
  metricAdapter.getInitialState(),
  on(MetricsPageActions.saveMetric, (state, { metric }) => {
    const existing = state.entities[metric.id];
    if (!existing) return metricAdapter.addOne(metric, state);
    const { mood, productivity, notes } = metric;
    if (existing.mood === mood && existing.productivity === productivity && existing.notes === notes) {
      return state;
    }
    return metricAdapter.updateOne({ id: metric.id, changes: { mood, productivity, notes } }, state);
  }),
  on(PersistenceActions.stateLoaded, ImportActions.dataImported, (state, { data }) =>
    metricAdapter.setAll(data.metric, state),
  ),
  on(RemoteEntitiesActions.remoteEntitiesApplied, (state, { upsert, remove }) =>
    applyRemoteEntities(metricAdapter, state, upsert.metric, remove.metric),
  ),
);
