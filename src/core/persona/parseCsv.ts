import { InputError } from '../errors';

/** A parsed CSV table: header, data rows, and the 1-based line each data row starts on. */
export interface CsvTable {
  header: string[];
  rows: string[][];
  lines: number[];
  delimiter: string;
}

const CANDIDATES = [',', ';', '\t', '|'];

/** The delimiter used by the header line: the candidate occurring most often outside quotes. */
function sniffDelimiter(text: string): string {
  const counts = new Map<string, number>(CANDIDATES.map((c) => [c, 0]));
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const c of CANDIDATES) if (counts.get(c)! > counts.get(best)!) best = c;
  return best;
}

/**
 * RFC 4180 CSV with any delimiter (sniffed from the header unless given), quoted fields with `""` escapes and
 * embedded newlines, CRLF or LF, UTF-8 with or without BOM. Rows whose field count differs from the header's
 * are an InputError naming the line; blank lines are skipped.
 */
export function parseCsv(text: string, file: string, delimiter?: string): CsvTable {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const sep = delimiter ?? sniffDelimiter(src);
  const records: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let quoted = false;
  let quoteLine = 0;
  let quoteColumn = 0;
  let lineStart = 0;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ fields, line: recordLine });
    fields = [];
    field = '';
  };
  while (i < src.length) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      if (ch === '\n') {
        line++;
        lineStart = i + 1;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      quoteLine = line;
      quoteColumn = i - lineStart + 1;
      i++;
    } else if (ch === sep) {
      fields.push(field);
      field = '';
      i++;
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && src[i + 1] === '\n' ? 2 : 1;
      line++;
      lineStart = i;
      recordLine = line;
    } else {
      // Fast path: copy the run of plain characters up to the next delimiter, quote or line end in one slice.
      let j = i + 1;
      while (j < src.length) {
        const c = src[j];
        if (c === sep || c === '\n' || c === '\r' || c === '"') break;
        j++;
      }
      field += src.slice(i, j);
      i = j;
    }
  }
  if (quoted) throw new InputError('unterminated quoted field', { file, line: quoteLine, column: quoteColumn });
  if (field !== '' || fields.length > 0) endRecord();
  if (records.length === 0) throw new InputError('empty CSV file: expected a header row', { file, line: 1, column: 1 });
  const header = records[0].fields.map((h) => h.trim());
  const rows: string[][] = [];
  const lines: number[] = [];
  for (const r of records.slice(1)) {
    if (r.fields.length !== header.length) {
      throw new InputError(`row has ${r.fields.length} fields but the header has ${header.length} (delimiter "${sep === '\t' ? '\\t' : sep}")`, { file, line: r.line, column: 1 });
    }
    rows.push(r.fields);
    lines.push(r.line);
  }
  return { header, rows, lines, delimiter: sep };
}
