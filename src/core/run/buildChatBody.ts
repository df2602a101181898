import type { ModelSpec } from '../experiment';
import type { ChatMessage } from '../model';

/** The JSON body of one chat completion request (the subset of the API's fields the engine sets). */
export interface ChatBody {
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  max_tokens?: number;
  n?: number;
}

/**
 * The body the engine sends for `n` samples of one prompt: shared by the live completer and the batch export,
 * so a batch line is byte for byte the request a live run would have made.
 */
export function buildChatBody(model: ModelSpec, messages: ChatMessage[], n: number): ChatBody {
  const withSystem = model.systemPrompt && messages[0]?.role !== 'system'
    ? [{ role: 'system' as const, content: model.systemPrompt }, ...messages]
    : messages;
  return {
    model: model.model ?? model.id,
    messages: withSystem,
    ...(model.temperature !== undefined ? { temperature: model.temperature } : {}),
    ...(model.maxTokens !== undefined ? { max_tokens: model.maxTokens } : {}),
    ...(n > 1 ? { n } : {}),
  };
}
