/** The text of an input file together with its name, so errors can point at it. */
export interface NamedText {
  file: string;
  text: string;
}
