import { createActionGroup, emptyProps, props } from '@ngrx/store';

export const PersistenceStatusActions = createActionGroup({
  source: 'Persistence',
  events: {
    'Device Identified': props<{ deviceId: string; dbName: string }>(),
    /** Changes are waiting to be written (or being written). */
    'Write Pending': emptyProps(),
    'Write Succeeded': props<{ at: number }>(),
    'Write Failed': props<{ message: string }>(),
  },
});
