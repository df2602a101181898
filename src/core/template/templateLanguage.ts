/** The prompt language of a template from its file name: `persona.ar.hbs` → `ar`; undefined when not named so. */
export function templateLanguage(fileName: string): string | undefined {
  return /\.([a-z]{2,3}(?:-[a-z]+)?)\.(?:hbs|handlebars)$/i.exec(fileName)?.[1]?.toLowerCase();
}
