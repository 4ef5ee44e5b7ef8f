/**
 * A list of names that may be very long (a file with 10,000 extra columns listed every one of them
 * on a 70 KB line in the terminal and the import history): the first few, then a count.
 */
export function someNames(names: readonly string[], shown = 10): string {
  if (names.length <= shown) return names.join(', ');
  const rest = new Intl.NumberFormat('en-US').format(names.length - shown);
  return `${names.slice(0, shown).join(', ')} and ${rest} more`;
}
