// Markdown tables and the summary of the speed targets.
//
// A row: { contender, label, target, result, check, reused }
//   result: the child's JSON ({ runs, peakRssMB, baseRssMB, capped, error, ... })

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Median ms, bytes, MB/s (1 MB = 10^6 bytes) and worst stall of a row's runs. */
export function stats(row, refSize) {
  const r = row.result;
  if (!r || r.error || !r.runs?.length) return null;
  const ms = median(r.runs.map((x) => x.ms));
  const bytes = r.noOutput ? refSize : r.runs[0].bytes; // gen-only: the rows' output size
  return {
    ms,
    bytes,
    mbps: bytes / 1e3 / ms,
    maxStallMs: median(r.runs.map((x) => x.maxStallMs)), // the median run's longest stall
    worstStallMs: Math.max(...r.runs.map((x) => x.maxStallMs)), // the worst repetition's
    peakRssMB: r.peakRssMB,
    baseRssMB: r.baseRssMB,
    capped: !!r.capped,
  };
}

const f1 = (x) => (x == null ? '—' : x.toFixed(1));
const f2 = (x) => (x == null ? '—' : x.toFixed(2));
const f0 = (x) => (x == null ? '—' : Math.round(x).toString());

/**
 * One markdown table for a dataset/mode group. `base` maps target → the baseline's stats
 * (MB/s); ratios are contender MB/s ÷ baseline MB/s on the same target.
 */
export function table(title, rows, refSize, baselineLabel) {
  const base = {};
  for (const row of rows) {
    if (row.isBaseline) base[row.target] = stats(row, refSize);
  }
  const lines = [
    `### ${title}`,
    '',
    `ratio: MB/s ÷ MB/s of ${baselineLabel} on the same target. Peak RSS: the child's maxRSS`,
    'after its first target (file); "—" on the second target, where it is not the run\'s own.',
    '',
    '| contender | target | MB/s | ratio | median s | peak RSS MiB | base RSS MiB | max stall ms | check |',
    '|---|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const row of rows) {
    const s = stats(row, refSize);
    const label = row.label + (row.reused ? ' (same run, from compact)' : '');
    if (!s) {
      const why = row.result?.error ? row.result.error.split('\n')[0].slice(0, 120) : 'no result';
      lines.push(`| ${label} | ${row.target} | — | — | — | — | — | — | ERROR: ${why.replace(/\|/g, '/')} |`);
      continue;
    }
    const b = base[row.target];
    const ratio = b && !row.noRatio ? s.mbps / b.mbps : null;
    const cap = s.capped ? `> cap (${f1(s.bytes / 1e6)} MB in ${f1(s.ms / 1000)} s) ` : '';
    const stall = Math.round(s.worstStallMs) > Math.round(s.maxStallMs) ? `${f0(s.maxStallMs)} (${f0(s.worstStallMs)})` : f0(s.maxStallMs);
    lines.push(`| ${label} | ${row.target} | ${cap}${f1(s.mbps)} | ${f2(ratio)} | ${f2(s.ms / 1000)} | ${f0(s.peakRssMB)} | ${f0(s.baseRssMB)} | ${stall} | ${row.check} |`);
  }
  return lines.join('\n');
}

/** Ratio of contender `id` to baseline `baseId` in a group, with both checks. */
export function ratioOf(group, id, target, baseId) {
  const row = group?.rows.find((r) => r.contender === id && r.target === target);
  const base = group?.rows.find((r) => r.contender === baseId && r.target === target);
  const s = row && stats(row, group.refSize);
  const b = base && stats(base, group.refSize);
  if (!s || !b) return null;
  return { ratio: s.mbps / b.mbps, ok: row.check.startsWith('ok') && base.check.startsWith('ok') };
}

const JD_APIS = [['jd-dump', 'dump'], ['jd-dumpSync', 'dumpSync'], ['jd-stream', 'stream']];

/**
 * The speed targets, each with the measured ratios of jsondump's APIs and met / not met.
 * groups: Map "dataset/mode" → { rows, refSize }. memory: memory.js results or null.
 */
export function summary(groups, memory) {
  const out = ['### Targets', '', '| target | measured | status |', '|---|---|---|'];
  const ratioTarget = (name, key, baseId, min, target = 'file') => {
    const g = groups.get(key);
    if (!g) return;
    const parts = [];
    let met = [];
    for (const [id, short] of JD_APIS) {
      const r = ratioOf(g, id, target, baseId);
      if (!r) continue;
      parts.push(`${short} ${r.ratio.toFixed(2)}×${r.ok ? '' : ' (check FAILED)'}`);
      if (r.ok && r.ratio >= min) met.push(short);
    }
    if (!parts.length) return;
    const ceiling = baseId === 'native' && ratioOf(g, 'ceiling', target, baseId);
    if (ceiling) parts.push(`(ceiling sketch ${ceiling.ratio.toFixed(2)}×)`);
    out.push(`| ${name} | ${parts.join(', ')} | ${met.length ? `met (${met.join(', ')})` : 'NOT met'} |`);
  };
  ratioTarget('records, compact, file ≥ 1.50× JSON.stringify + writeFileSync', 'records/compact', 'native', 1.5);
  ratioTarget('records, compact, file ≥ 2.50× json-ext stringifyChunked', 'records/compact', 'jsonext', 2.5);
  ratioTarget('records, indent 2, file ≥ 1.30× JSON.stringify(v, null, 2) + write', 'records/indent', 'native-indent', 1.3);
  ratioTarget('strings, compact, file ≥ 1.00×', 'strings/compact', 'native', 1.0);
  ratioTarget('deep, compact, file ≥ 0.90×', 'deep/compact', 'native', 0.9);
  ratioTarget('people (short non-ASCII strings), compact, file ≥ 1.50×', 'people/compact', 'native', 1.5);
  ratioTarget('people, indent 2, file ≥ 1.50×', 'people/indent', 'native-indent', 1.5);
  ratioTarget('texts (long escaped texts), compact, file ≥ 1.00×', 'texts/compact', 'native', 1.0);
  ratioTarget('texts, indent 2, file ≥ 1.00×', 'texts/indent', 'native-indent', 1.0);
  ratioTarget('forest (uneven subtrees 20 deep), compact, file ≥ 1.00×', 'forest/compact', 'native', 1.0);
  ratioTarget('forest, indent 2, file ≥ 1.00×', 'forest/indent', 'native-indent', 1.0);
  ratioTarget('lazy sync generator, file ≥ 1.00× native on the materialized rows', 'lazy-sync/compact', 'native', 1.0);
  ratioTarget('lazy async generator, file ≥ 1.00× native on the materialized rows', 'lazy-async/compact', 'native', 1.0);
  ratioTarget('records, dialect python ≥ 0.60× native js compact', 'records/python', 'native', 0.6);
  ratioTarget('records, ensureAscii ≥ 0.70× native js compact', 'records/ensureAscii', 'native', 0.7);
  ratioTarget('records, sortKeys ≥ 0.50× native js compact', 'records/sortKeys', 'native', 0.5);

  // event-loop stalls of the async APIs, every group and target
  let worst = null;
  for (const [key, g] of groups) {
    for (const row of g.rows) {
      if (!row.async) continue;
      const s = stats(row, g.refSize);
      if (s && (!worst || s.maxStallMs > worst.ms)) worst = { ms: s.maxStallMs, worstMs: s.worstStallMs, where: `${key} ${row.label} → ${row.target}` };
    }
  }
  if (worst) {
    out.push(`| longest event-loop stall of dump / createStringifyStream < 50 ms (file and null sink; median over repetitions of each run's longest) | ${worst.ms.toFixed(0)} ms, worst repetition ${worst.worstMs.toFixed(0)} ms (${worst.where}) | ${worst.ms < 50 ? 'met' : 'NOT met'} |`);
  }

  if (memory?.length) {
    const labels = [...new Set(memory.map((m) => m.label))];
    const fmt = (n) => `${+(n / 1e6).toFixed(2)}M`;
    const cells = labels.map((label) => `${label}: ${memory.filter((m) => m.label === label)
      .map((m) => `${fmt(m.rows)} ${m.peakRssMB == null ? 'error' : m.peakRssMB.toFixed(0)}`).join(', ')}`);
    const at3m = memory.filter((m) => m.rows === 3e6);
    const under = at3m.length > 0 && at3m.every((m) => m.peakRssMB != null && m.peakRssMB < 100);
    // flat: per API, the largest count stays within 10% (+ 5 MiB) of the smallest
    const flat = labels.every((label) => {
      const v = memory.filter((m) => m.label === label).map((m) => m.peakRssMB ?? Infinity);
      return Math.max(...v) <= Math.min(...v) * 1.1 + 5;
    });
    const status = at3m.length ? `${under ? 'met' : 'NOT met'} (< 100 MiB at 3M), ${flat ? 'flat' : 'NOT flat'}` : `${flat ? 'flat' : 'NOT flat'} (no 3M run)`;
    out.push(`| lazy rows to a file: peak RSS < 100 MiB at 3M rows, flat 1M → 10M | ${cells.join('; ')} (MiB) | ${status} |`);
  }
  return out.join('\n');
}
