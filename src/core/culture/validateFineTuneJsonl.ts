import type { ChatMessage } from '../model';

/** A problem in a fine-tuning file, located at its line (1-based) and field. */
export interface FineTuneIssue {
  line: number;
  field: string;
  message: string;
}

export interface FineTuneReport {
  file: string;
  records: number;
  bytes: number;
  /** Tokens per record (in file order), as the fine-tuning API counts chat tokens (≈ content + 3 per message + 3). */
  tokens: number[];
  totalTokens: number;
  maxTokens: number;
  errors: FineTuneIssue[];
  /** Billed training tokens = totalTokens × epochs, and its cost at `pricePer1MTraining` (null without a price). */
  trainingTokens: number;
  cost: number | null;
}

export interface ValidateOptions {
  countTokens: (text: string) => number;
  /** Per-record token limit (default 65,536, the smallest current OpenAI chat fine-tuning context). */
  maxTokensPerRecord?: number;
  /** File size limit in bytes (default 512 MB). */
  maxBytes?: number;
  epochs?: number;
  /** USD per 1M training tokens. */
  pricePer1MTraining?: number;
}

const SCALE = /^Give me the answer from (-?\d+) to (-?\d+):/;

/**
 * Validates an OpenAI chat fine-tuning JSONL file: one JSON object per line with `messages`; roles
 * system? → user → assistant, each with non-empty text; exactly one assistant message, last; when the user
 * message states its scale (`Give me the answer from a to b:`), the assistant's answer must be one whole
 * number on it. Every problem names its line and field; token counts are per record.
 */
export function validateFineTuneJsonl(text: string, file: string, options: ValidateOptions): FineTuneReport {
  const errors: FineTuneIssue[] = [];
  const tokens: number[] = [];
  const lines = text.split('\n');
  let records = 0;
  const limit = options.maxTokensPerRecord ?? 65_536;
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') {
      if (i < lines.length - 1) errors.push({ line, field: '', message: 'empty line' });
      return;
    }
    records++;
    let rec: unknown;
    try {
      rec = JSON.parse(raw);
    } catch (e) {
      errors.push({ line, field: '', message: `not valid JSON: ${(e as Error).message}` });
      return;
    }
    const messages = (rec as { messages?: unknown } | null)?.messages;
    if (!Array.isArray(messages) || messages.length === 0) {
      errors.push({ line, field: 'messages', message: 'a record needs a non-empty "messages" array' });
      return;
    }
    let n = 3;
    const roles: string[] = [];
    messages.forEach((m: unknown, k) => {
      const msg = m as Partial<ChatMessage> | null;
      const field = `messages[${k}]`;
      if (!msg || typeof msg !== 'object') return void errors.push({ line, field, message: 'a message must be an object' });
      if (msg.role !== 'system' && msg.role !== 'user' && msg.role !== 'assistant') errors.push({ line, field: `${field}.role`, message: `unknown role ${JSON.stringify(msg.role)} (system, user or assistant)` });
      if (typeof msg.content !== 'string' || msg.content.trim() === '') errors.push({ line, field: `${field}.content`, message: 'content must be non-empty text' });
      roles.push(String(msg.role));
      n += 3 + (typeof msg.content === 'string' ? options.countTokens(msg.content) : 0);
    });
    tokens.push(n);
    if (n > limit) errors.push({ line, field: 'messages', message: `${n} tokens, more than the ${limit} a record may have` });
    const assistants = roles.filter((r) => r === 'assistant').length;
    const order = roles.join(',');
    if (assistants !== 1) errors.push({ line, field: 'messages', message: `expected exactly one assistant message, found ${assistants}` });
    else if (!/^(system,)?user,assistant$/.test(order)) errors.push({ line, field: 'messages', message: `roles must be [system,] user, assistant; found ${order}` });
    const user = messages.find((m: Partial<ChatMessage>) => m?.role === 'user') as Partial<ChatMessage> | undefined;
    const answerAt = messages.findIndex((m: Partial<ChatMessage>) => m?.role === 'assistant');
    const answer = (messages[answerAt] as Partial<ChatMessage> | undefined)?.content;
    const scale = typeof user?.content === 'string' ? SCALE.exec(user.content) : null;
    if (scale && typeof answer === 'string') {
      const [lo, hi] = [Number(scale[1]), Number(scale[2])];
      const ok = /^-?\d+$/.test(answer.trim()) && Number(answer) >= lo && Number(answer) <= hi;
      if (!ok) errors.push({ line, field: `messages[${answerAt}].content`, message: `answer ${JSON.stringify(answer)} is not one number from ${lo} to ${hi}` });
    }
  });
  const bytes = Buffer.byteLength(text, 'utf8');
  const maxBytes = options.maxBytes ?? 512 * 1024 * 1024;
  if (bytes > maxBytes) errors.push({ line: 1, field: '', message: `file is ${bytes} bytes, more than ${maxBytes}` });
  if (records === 0) errors.push({ line: 1, field: '', message: 'no records' });
  const totalTokens = tokens.reduce((a, b) => a + b, 0);
  const trainingTokens = totalTokens * (options.epochs ?? 3);
  return {
    file, records, bytes, tokens, totalTokens, maxTokens: tokens.length ? Math.max(...tokens) : 0, errors, trainingTokens,
    cost: options.pricePer1MTraining === undefined ? null : (trainingTokens / 1e6) * options.pricePer1MTraining,
  };
}
