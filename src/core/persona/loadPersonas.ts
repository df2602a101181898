import { readFile } from 'node:fs/promises';
import type { Persona } from '../model';
import { parsePersonas } from './parsePersonas';

/** Reads and parses a personas file (JSONL or CSV); throws InputError on bad input. */
export async function loadPersonas(path: string): Promise<Persona[]> {
  return parsePersonas(await readFile(path, 'utf8'), path);
}
