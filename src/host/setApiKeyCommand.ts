import * as vscode from 'vscode';
import { ApiKeyStore } from './apiKeyStore';

/** "Alignment Studio: Set API Key": asks for the endpoint and the key, stores it bound to the endpoint origin. */
export async function setApiKeyCommand(store: ApiKeyStore, baseUrlArg?: string): Promise<string | undefined> {
  const baseUrl = baseUrlArg ?? (await vscode.window.showInputBox({
    title: 'Alignment Studio: API key — endpoint',
    prompt: 'Base URL of the OpenAI-compatible endpoint the key belongs to',
    value: 'https://api.openai.com/v1',
    ignoreFocusOut: true,
    validateInput: (v) => {
      try {
        ApiKeyStore.originOf(v);
        return undefined;
      } catch {
        return 'Enter an http(s) URL, e.g. https://api.openai.com/v1';
      }
    },
  }));
  if (!baseUrl) return undefined;
  const origin = ApiKeyStore.originOf(baseUrl);
  const key = await vscode.window.showInputBox({
    title: `Alignment Studio: API key for ${origin}`,
    prompt: 'Stored in VS Code SecretStorage and only ever sent to this origin. Leave empty to remove the key.',
    password: true,
    ignoreFocusOut: true,
  });
  if (key === undefined) return undefined;
  if (key === '') {
    await store.delete(baseUrl);
    void vscode.window.showInformationMessage(`Alignment Studio: API key for ${origin} removed.`);
  } else {
    await store.set(baseUrl, key);
    void vscode.window.showInformationMessage(`Alignment Studio: API key for ${origin} saved in SecretStorage.`);
  }
  return origin;
}
