import type * as vscode from 'vscode';
import { originOf, type KeyLookup } from '../core/run/createOpenAICompleter';

/**
 * API keys live only in SecretStorage, one per endpoint origin (`https://api.openai.com`), so a key set for one
 * host is never sent to another. Keys are never logged or written to disk by us.
 */
export class ApiKeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  static originOf(baseUrl: string): string {
    return originOf(baseUrl);
  }

  /** The engine's key lookup: the key stored for exactly this origin, nothing else. */
  readonly lookup: KeyLookup = (origin) => this.secrets.get(ApiKeyStore.keyName(originOf(origin)));

  /** Whether a key is stored for the endpoint's origin (the key itself is not returned). */
  async has(baseUrl: string): Promise<boolean> {
    return (await this.get(baseUrl)) !== undefined;
  }

  private static keyName(origin: string): string {
    return `alignmentStudio.apiKey:${origin}`;
  }

  async get(baseUrl: string): Promise<string | undefined> {
    return this.secrets.get(ApiKeyStore.keyName(ApiKeyStore.originOf(baseUrl)));
  }

  async set(baseUrl: string, key: string): Promise<void> {
    await this.secrets.store(ApiKeyStore.keyName(ApiKeyStore.originOf(baseUrl)), key);
  }

  async delete(baseUrl: string): Promise<void> {
    await this.secrets.delete(ApiKeyStore.keyName(ApiKeyStore.originOf(baseUrl)));
  }
}
