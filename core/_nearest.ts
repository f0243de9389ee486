/**
 * The candidate closest to `wanted`, if it is close enough to be a typo (edit distance,
 * case-insensitive), else one that contains it or is contained in it.
 */
export function nearestName(wanted: string, candidates: readonly string[]): string | undefined {
  const lower = wanted.toLowerCase();
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    // The distance is at least the difference in length: a name that far off is no typo, and
    // its distance (a product of the two lengths to compute) is not worth computing.
    if (Math.abs(candidate.length - wanted.length) > limit) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  if (best && best.distance <= limit) return best.name;
  return candidates.find((c) => c.toLowerCase().includes(lower) || lower.includes(c.toLowerCase()));
}

// --- internal ---

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
