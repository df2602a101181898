import * as vscode from 'vscode';
import type { ModelSpec } from '../../core/experiment';
import { encodingForModel } from '../../core/run/tokenizer';
import type { ModelOption, TokenEncoding } from '../../core/preview/previewModel';

/** The preview's settings (`alignmentStudio.preview.*`), read fresh on every use. */
export interface PreviewSettings {
  /** Trailing-render window for edits, ms (clamped to 0..150). */
  debounceMs: number;
  /** Model name used for tokens/cost when no experiment model is picked. */
  model: string;
  tokenizer: 'auto' | TokenEncoding;
  pricePer1kInput: number | null;
  pricePer1kOutput: number | null;
  maxTokens: number | null;
}

export function previewSettings(): PreviewSettings {
  const c = vscode.workspace.getConfiguration('alignmentStudio.preview');
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);
  const tokenizer = c.get<string>('tokenizer', 'auto');
  return {
    debounceMs: Math.min(150, Math.max(0, num(c.get('debounceMs')) ?? 100)),
    model: c.get<string>('model', 'gpt-4o-mini') || 'gpt-4o-mini',
    tokenizer: tokenizer === 'o200k_base' || tokenizer === 'cl100k_base' ? tokenizer : 'auto',
    pricePer1kInput: num(c.get('pricePer1kInput')),
    pricePer1kOutput: num(c.get('pricePer1kOutput')),
    maxTokens: num(c.get('maxTokens')),
  };
}

/** Models the estimate offers: the experiment's (its prices, else the settings' prices), then the settings model. */
export function modelOptions(specs: readonly ModelSpec[], s: PreviewSettings): Array<ModelOption & { recorded: boolean }> {
  const enc = (name: string | undefined) => (s.tokenizer === 'auto' ? encodingForModel(name) : s.tokenizer);
  const out = specs.map((m) => {
    const fromSpec = m.pricePer1kInput !== undefined;
    return {
      id: m.id,
      model: m.model,
      encoding: enc(m.model ?? m.id),
      pricePer1kInput: fromSpec ? m.pricePer1kInput! : m.kind === 'replay' ? 0 : s.pricePer1kInput,
      pricePer1kOutput: m.pricePer1kOutput ?? (fromSpec || m.kind === 'replay' ? (m.kind === 'replay' ? 0 : null) : s.pricePer1kOutput),
      maxTokens: m.maxTokens ?? s.maxTokens,
      priceSource: fromSpec || m.kind === 'replay' ? 'experiment' as const : s.pricePer1kInput !== null ? 'settings' as const : 'none' as const,
      recorded: m.kind === 'replay',
    };
  });
  if (!out.some((m) => m.id === s.model)) {
    out.push({ id: s.model, model: s.model, encoding: enc(s.model), pricePer1kInput: s.pricePer1kInput, pricePer1kOutput: s.pricePer1kOutput, maxTokens: s.maxTokens, priceSource: s.pricePer1kInput !== null ? 'settings' : 'none', recorded: false });
  }
  return out;
}
