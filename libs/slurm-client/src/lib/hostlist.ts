// Expands Slurm's compressed host lists ("viz[01-02]", "gpu[1,3-4],login1", "r[1-2]n[01-02]")
// into node names, keeping zero padding. Jobs and partitions report their nodes this way.

/** Refuse to expand absurd ranges instead of allocating millions of strings. */
const MAX_HOSTS = 100_000;

export function expandHostlist(list: string | null | undefined): string[] {
  const text = (list ?? '').trim();
  if (text === '' || text === '(null)' || text === 'N/A') return [];
  const hosts: string[] = [];
  for (const item of splitTopLevel(text)) {
    for (const host of expandItem(item)) {
      hosts.push(host);
      if (hosts.length > MAX_HOSTS) throw new RangeError(`host list too large: ${text.slice(0, 80)}`);
    }
  }
  return hosts;
}

// Commas inside brackets belong to a range; only top-level commas separate hosts.
function splitTopLevel(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '[') depth++;
    else if (ch === ']') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0) {
      if (i > start) items.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (start < text.length) items.push(text.slice(start));
  return items;
}

function expandItem(item: string): string[] {
  const open = item.indexOf('[');
  const close = open < 0 ? -1 : item.indexOf(']', open);
  if (open < 0 || close < 0) return [item];
  const prefix = item.slice(0, open);
  const rests = expandItem(item.slice(close + 1));
  const out: string[] = [];
  for (const part of item.slice(open + 1, close).split(',')) {
    const range = /^(\d+)-(\d+)$/.exec(part);
    const values: string[] = [];
    if (range) {
      const [, from, to] = range;
      const width = from.length;
      const lo = Number(from);
      const hi = Number(to);
      if (hi - lo > MAX_HOSTS) throw new RangeError(`host range too large: ${part}`);
      for (let n = lo; n <= hi; n++) values.push(String(n).padStart(width, '0'));
    } else {
      values.push(part);
    }
    for (const value of values) for (const rest of rests) out.push(prefix + value + rest);
  }
  return out;
}
