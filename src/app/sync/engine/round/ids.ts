/** A random id of base-36 characters (replica ids, file names, commit ids, lock nonces). */
export function newId(random: () => number, length: number): string {
  let id = '';
  while (id.length < length) id += Math.floor(random() * 36).toString(36);
  return id;
}
