import { createFeature, createReducer, on } from '@ngrx/store';
import { PersistenceStatusActions } from './persistence.actions';

export type SaveStatus = 'idle' | 'saving' | 'saved' | 'error';

export interface PersistenceState {
  deviceId: string | null;
  dbName: string | null;
  saveStatus: SaveStatus;
  lastSavedAt: number | null;
  /** Why the last write failed; cleared by the next successful write. */
  writeError: string | null;
}

const initialState: PersistenceState = {
  deviceId: null,
  dbName: null,
  saveStatus: 'idle',
  lastSavedAt: null,
  writeError: null,
};

export const persistenceFeature = createFeature({
  name: 'persistence',
  reducer: createReducer(
    initialState,
    on(PersistenceStatusActions.deviceIdentified, (state, { deviceId, dbName }) => ({ ...state, deviceId, dbName })),
    on(PersistenceStatusActions.writePending, (state) =>
      state.saveStatus === 'saving' ? state : { ...state, saveStatus: 'saving' as const },
    ),
    on(PersistenceStatusActions.writeSucceeded, (state, { at }) => ({
      ...state,
      saveStatus: 'saved' as const,
      lastSavedAt: at,
      writeError: null,
    })),
    on(PersistenceStatusActions.writeFailed, (state, { message }) => ({
      ...state,
      saveStatus: 'error' as const,
      writeError: message,
    })),
  ),
});

export const {
  selectDeviceId,
  selectDbName,
  selectSaveStatus,
  selectWriteError,
  selectLastSavedAt,
} = persistenceFeature;
