import { ActionReducerMap } from '@ngrx/store';
import { DomainData, ENTITY_TYPES } from './domain-data.model';
import { MetricState, metricReducer } from './metric/metric.reducer';
import { ProjectState, projectReducer } from './project/project.reducer';
import { TagState, tagReducer } from './tag/tag.reducer';
import { TaskState, taskReducer } from './task/task.reducer';

/** The root state keys the domain owns; other layers may add their own keys beside them. */
export interface DomainState {
  task: TaskState;
  project: ProjectState;
  tag: TagState;
  metric: MetricState;
}

export const domainReducers: ActionReducerMap<DomainState> = {
  task: taskReducer,
  project: projectReducer,
  tag: tagReducer,
  metric: metricReducer,
};

/** The slices as plain lists, in each slice's order: what is exported, imported and sent to a joining tab. */
export function domainData(state: DomainState): DomainData {
  const data: Record<string, unknown[]> = {};
  for (const type of ENTITY_TYPES) data[type] = (state[type].ids as string[]).map((id) => state[type].entities[id]);
  return data as unknown as DomainData;
}
