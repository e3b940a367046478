import { inject, Injectable } from '@angular/core';
import { Store } from '@ngrx/store';
import { CLOCK, timeOrderedId } from '../../domain/clock';
import { CreationStamp } from '../../domain/sync-metadata.model';
import { selectDeviceId } from '../../persistence/persistence.reducer';

/** What creating actions carry: a fresh id, the time and this device (read outside the reducers). */
@Injectable({ providedIn: 'root' })
export class EntityStamp {
  private readonly clock = inject(CLOCK);
  private readonly deviceId = inject(Store).selectSignal(selectDeviceId);

  now(): number {
    return this.clock();
  }

  stamp(): CreationStamp {
    return { now: this.clock(), deviceId: this.deviceId() ?? 'unknown-device' };
  }

  newId(): string {
    return timeOrderedId(this.clock());
  }
}
