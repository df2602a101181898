import * as vscode from 'vscode';
import { experimentKindOfText } from '../core/run/checkEndpoints';

type Node = { kind: 'group'; label: string; glob: string; icon: string } | { kind: 'file'; uri: vscode.Uri; icon: string; note?: string };

const GROUPS: Array<{ label: string; glob: string; icon: string }> = [
  { label: 'Experiments', glob: '**/*.experiment.json', icon: 'beaker' },
  { label: 'Templates', glob: '**/prompts/**/*.hbs', icon: 'symbol-snippet' },
  { label: 'Surveys & personas', glob: '**/{survey,surveys,personas,data}/**/*.{json,yaml,yml,jsonl,csv}', icon: 'database' },
  { label: 'Runs', glob: '**/.alignment/runs/*/manifest.json', icon: 'history' },
];

/** Sidebar tree: experiments, templates, data files and runs found in the workspace. */
export class WorkspaceTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly watcher = vscode.workspace.createFileSystemWatcher('**/{*.hbs,*.experiment.json,manifest.json}');

  constructor() {
    for (const ev of [this.watcher.onDidCreate, this.watcher.onDidDelete]) ev(() => this.changed.fire());
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon(node.icon);
      item.contextValue = `group:${node.label}`;
      return item;
    }
    const isRun = node.uri.path.endsWith('/manifest.json');
    const target = isRun ? vscode.Uri.joinPath(node.uri, '..') : node.uri;
    const item = new vscode.TreeItem(target, vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon(node.icon);
    const folder = vscode.workspace.asRelativePath(vscode.Uri.joinPath(target, '..'));
    const nested = folder !== '' && !folder.startsWith('/');
    item.description = node.note ? (nested ? `${node.note} · ${folder}` : node.note) : folder;
    item.contextValue = isRun ? 'run' : 'file';
    item.command = isRun
      ? { command: 'alignmentStudio.openResults', title: 'Open Results', arguments: [target] }
      : { command: 'vscode.open', title: 'Open', arguments: [node.uri] };
    return item;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) return GROUPS.map((g) => ({ kind: 'group', ...g }));
    if (node.kind !== 'group') return [];
    const files = (await vscode.workspace.findFiles(node.glob, '**/node_modules/**', 1000)).sort((a, b) => a.path.localeCompare(b.path));
    if (node.icon !== 'beaker') return files.map((uri) => ({ kind: 'file', uri, icon: node.icon === 'history' ? 'history' : 'file' }));
    // Experiments: the offline (recorded answers) ones first, marked, so a newcomer starts with one that runs as is.
    const items = await Promise.all(files.map(async (uri) => {
      const kind = experimentKindOfText(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
      return { kind: 'file' as const, uri, icon: kind?.offline ? 'beaker' : 'globe', note: kind?.offline ? 'offline' : 'live', offline: kind?.offline ?? false };
    }));
    return items.sort((a, b) => Number(b.offline) - Number(a.offline)).map(({ offline: _offline, ...n }) => n);
  }

  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }
}
