import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseRecordedCompletions, type RecordedRecord } from './parseRecordedCompletions';
import { parseRecordedFileName, type RecordedFileInfo } from './parseRecordedFileName';

export interface RecordedCompletions {
  /** Files read, with what their names say. */
  files: (RecordedFileInfo & { file: string; records: number })[];
  records: RecordedRecord[];
}

/**
 * Reads every recorded-completions file (paper format, `preds_q=…json`) under `dir`, recursively (the paper's
 * layout is `<model>/<country>/<lang>/`). Files not named in that format are ignored. Throws InputError on a bad file.
 */
export async function loadRecordedCompletions(dir: string): Promise<RecordedCompletions> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const paths = entries
    .filter((e) => e.isFile() && parseRecordedFileName(e.name))
    .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
    .sort();
  const out: RecordedCompletions = { files: [], records: [] };
  for (const file of paths) {
    const info = parseRecordedFileName(file)!;
    const records = parseRecordedCompletions(await readFile(file, 'utf8'), file, info);
    out.files.push({ ...info, file, records: records.length });
    for (const r of records) out.records.push(r);
  }
  return out;
}
