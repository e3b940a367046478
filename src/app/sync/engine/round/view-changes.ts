import { ViewChanges } from '../replica/replica-state';

export const NO_CHANGES: ViewChanges = { upserted: [], removed: [] };
