import * as fs from 'node:fs';

export interface JsonLine {
  /** 1-based line number. */
  line: number;
  text: string;
  /** The file's last line had no newline (a download cut short). */
  unterminated: boolean;
}

/** Streams the lines of a (possibly huge) JSONL file, 1 MiB at a time; blank lines are skipped. */
export function* readJsonLines(file: string): Generator<JsonLine> {
  const fd = fs.openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    let carry: Buffer = Buffer.alloc(0);
    let line = 0;
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
        line++;
        const text = data.toString('utf8', start, nl).trim();
        if (text) yield { line, text, unterminated: false };
        start = nl + 1;
      }
      carry = Buffer.from(data.subarray(start));
    }
    const rest = carry.toString('utf8').trim();
    if (rest) yield { line: line + 1, text: rest, unterminated: true };
  } finally {
    fs.closeSync(fd);
  }
}
