import { ActionReducerMap } from '@ngrx/store';
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
