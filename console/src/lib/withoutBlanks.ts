/** A list's filters without those set to nothing (undefined or an empty text): a filter changed to nothing goes. */
export function withoutBlanks<F extends object>(filters: F): F {
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined && value !== '')) as F;
}
