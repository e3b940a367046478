/** Bookkeeping every stored entity carries. The domain only carries it along; a later layer bumps it. */
export interface EntitySyncMetadata {
  version: number;
  lastModifiedAt: number;
  lastModifiedBy: string;
}

/** What a creating action needs to stamp a new entity; gathered outside the reducers (clock, device). */
export interface CreationStamp {
  now: number;
  deviceId: string;
}

export function initialMetadata(stamp: CreationStamp): EntitySyncMetadata {
  return { version: 1, lastModifiedAt: stamp.now, lastModifiedBy: stamp.deviceId };
}

/** Whether an untrusted object carries well-typed, complete sync metadata. */
export function isMetadataComplete(value: Partial<Record<keyof EntitySyncMetadata, unknown>>): value is EntitySyncMetadata {
  return (
    Number.isInteger(value.version) &&
    (value.version as number) >= 1 &&
    Number.isFinite(value.lastModifiedAt) &&
    typeof value.lastModifiedBy === 'string' &&
    value.lastModifiedBy.length > 0
  );
}

/**
 * Data from before sync metadata existed (or from another app) gets version 1, modified at its
 * creation time when it has one, by this device. Complete metadata is kept, and the object too.
 */
export function ensureSyncMetadata<T extends object>(
  entity: T & Partial<EntitySyncMetadata> & { created?: unknown },
  stamp: CreationStamp,
): T & EntitySyncMetadata {
  if (isMetadataComplete(entity)) return entity as T & EntitySyncMetadata;
  const created = typeof entity.created === 'number' && Number.isFinite(entity.created) ? entity.created : null;
  return { ...entity, version: 1, lastModifiedAt: created ?? stamp.now, lastModifiedBy: stamp.deviceId };
}
