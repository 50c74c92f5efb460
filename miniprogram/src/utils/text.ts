// Text as the server measures it. Pure (no `wx`): the form engine (utils/form.ts), which the
// console builds too, and the demand pages' checks use it.

/** Length as the server counts it: characters (code points), not UTF-16 units. */
export function charCount(text: string): number {
  return Array.from(text).length;
}
