// A run with --only measures some workloads; results.json, results.md and the README keep the
// others' last results. This merges a run's results with the results.json it replaces, recording
// for each kept workload the date it was measured (meta.keptFromEarlierRun.dates), so a chain of
// --only runs still dates every row by its own measurement.

/** `current` plus what `previous` (the results.json being replaced, or undefined) holds and `current` did not measure. */
export function withKeptWorkloads(current, previous) {
  const kept = Object.keys(previous?.workloads ?? {}).filter((id) => !(id in current.workloads));
  if (kept.length === 0) return current;
  const earlier = previous.meta?.keptFromEarlierRun;
  const dateOf = (id) => (earlier?.workloads?.includes(id) ? (earlier.dates?.[id] ?? earlier.date) : previous.meta?.date);
  const dates = Object.fromEntries(kept.map((id) => [id, dateOf(id)]));
  const keptProfiles = Object.fromEntries(kept.filter((id) => previous.profile?.workloads?.[id]).map((id) => [id, previous.profile.workloads[id]]));
  const profile =
    current.profile || Object.keys(keptProfiles).length > 0 ? { interval_us: 100, ...current.profile, workloads: { ...keptProfiles, ...current.profile?.workloads } } : undefined;
  return {
    ...current,
    // `date`: the oldest kept measurement (the field results.json had before `dates`)
    meta: { ...current.meta, keptFromEarlierRun: { workloads: kept, date: Object.values(dates).sort()[0], dates } },
    workloads: { ...Object.fromEntries(kept.map((id) => [id, previous.workloads[id]])), ...current.workloads },
    profile,
    ...(current.scaling || !previous.scaling ? {} : { scaling: previous.scaling }),
  };
}

/** The day (YYYY-MM-DD) each workload kept from an earlier run was measured on, by workload id. */
export function keptDates(meta) {
  const kept = meta.keptFromEarlierRun;
  if (!kept) return {};
  return Object.fromEntries(kept.workloads.map((id) => [id, (kept.dates?.[id] ?? kept.date ?? "?").slice(0, 10)]));
}

const PROFILES_SUMMARY = "<details><summary>Profiles: top self-time frames";
/** The profile paragraphs (`W variant: top self-time frames …` or `F emit …`, then frames) of a rendered report, or undefined. */
function profileParagraphs(md) {
  const start = md.indexOf(PROFILES_SUMMARY);
  if (start < 0) return undefined;
  const open = md.indexOf("```\n", start) + 4;
  const close = md.indexOf("\n```", open);
  return { open, close, paragraphs: md.slice(open, close).split("\n\n").filter(Boolean) };
}
const workloadOf = (paragraph) => paragraph.split(" ", 1)[0];

/**
 * `md` (a report rendered from results where kept workloads may lack their profiles: results.json
 * files written before profiles were kept) with the profile paragraphs of the kept workloads that
 * `md` lacks carried over from `earlierMd` (the report it replaces), ahead of this run's.
 */
export function withEarlierProfiles(md, earlierMd, keptIds) {
  const earlier = profileParagraphs(earlierMd ?? "");
  if (!earlier) return md;
  const current = profileParagraphs(md);
  const present = new Set((current?.paragraphs ?? []).map(workloadOf));
  const carried = earlier.paragraphs.filter((p) => keptIds.includes(workloadOf(p)) && !present.has(workloadOf(p)));
  if (carried.length === 0) return md;
  if (current) return md.slice(0, current.open) + [...carried, ...current.paragraphs].join("\n\n") + md.slice(current.close);
  const block = earlierMd.slice(earlierMd.indexOf(PROFILES_SUMMARY), earlier.open) + carried.join("\n\n") + "\n```\n\n</details>";
  return `${md}\n\n${block}`;
}
