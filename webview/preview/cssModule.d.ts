// esbuild loads .css imports as text (scripts/build.mjs); the webview adopts them as a constructed stylesheet.
declare module '*.css' {
  const text: string;
  export default text;
}
