import type * as vscode from 'vscode';

/**
 * API keys live only in SecretStorage, one per endpoint origin (`https://api.openai.com`), so a key set for one
 * host is never sent to another. Keys are never logged or written to disk by us.
 */
export class ApiKeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  static originOf(baseUrl: string): string {
    const u = new URL(baseUrl);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`Unsupported protocol in ${baseUrl}`);
    return u.origin;
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
