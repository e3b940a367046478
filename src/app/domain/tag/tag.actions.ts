import { createActionGroup, props } from '@ngrx/store';
import { Tag } from './tag.model';

export const TagPageActions = createActionGroup({
  source: 'Tag Page',
  events: {
    'Add Tag': props<{ tag: Tag }>(),
    'Rename Tag': props<{ id: string; title: string }>(),
    /** Removes the tag and takes it off every task that carried it. */
    'Delete Tag': props<{ id: string }>(),
  },
});
