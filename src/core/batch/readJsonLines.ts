import * as fs from 'node:fs';

export interface JsonLine {
  /** 1-based line number. */
  line: number;
  text: string;
  /** The file's last line had no newline (a download cut short). */
  unterminated: boolean;
}

/**
 * Streams the lines of a (possibly huge) JSONL file through one reused 1 MiB buffer (grown only for a longer
 * line), so reading a gigabyte allocates nothing but the line strings; blank lines are skipped.
 */
export function* readJsonLines(file: string): Generator<JsonLine> {
  const fd = fs.openSync(file, 'r');
  try {
    let buf = Buffer.allocUnsafe(1 << 20);
    /** Bytes of an unfinished line kept at the start of `buf`. */
    let kept = 0;
    let line = 0;
    for (;;) {
      if (kept === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, kept);
        buf = bigger;
      }
      const n = fs.readSync(fd, buf, kept, buf.length - kept, null);
      if (n === 0) break;
      const view = buf.subarray(0, kept + n);
      let start = 0;
      for (let nl = view.indexOf(10, start); nl >= 0; nl = view.indexOf(10, start)) {
        line++;
        const text = view.toString('utf8', start, nl).trim();
        if (text) yield { line, text, unterminated: false };
        start = nl + 1;
      }
      kept = view.length - start;
      if (kept && start) buf.copy(buf, 0, start, view.length);
    }
    const rest = buf.toString('utf8', 0, kept).trim();
    if (rest) yield { line: line + 1, text: rest, unterminated: true };
  } finally {
    fs.closeSync(fd);
  }
}
