import type { ExperimentSpec } from '../experiment';
import type { Persona } from '../model';

/** The personas an experiment uses: its filter (countries, ids, limit) in file order. */
export function selectPersonas(personas: readonly Persona[], spec: ExperimentSpec): Persona[] {
  const f = spec.personaFilter ?? {};
  const countries = f.countries?.map((c) => c.toLowerCase());
  let out = personas.filter((p) => (!countries || countries.includes(p.country.toLowerCase())) && (!f.ids || f.ids.includes(p.id)));
  if (f.limit !== undefined) out = out.slice(0, f.limit);
  return out;
}
