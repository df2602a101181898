import Handlebars from 'handlebars';
import { PROMPT_HELPER_FUNCTIONS } from './promptHelpers';

let shared: typeof Handlebars | undefined;

/** The isolated Handlebars environment for prompts, with our helpers registered (global Handlebars untouched). */
export function promptEnvironment(): typeof Handlebars {
  if (!shared) {
    shared = Handlebars.create();
    shared.registerHelper(PROMPT_HELPER_FUNCTIONS);
  }
  return shared;
}
