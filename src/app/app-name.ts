/**
 * What the app calls itself. Not "SuperSync": that is the name of Super Productivity's own hosted
 * sync service, and its users would take us for it. Format identifiers on the wire
 * (`super-sync/meta`, `super-sync-backup`, ...) keep their old spelling so older versions still read them.
 */
export const APP_NAME = 'Tandem Tasks';
