import { defineLanguageFacet, Language, LanguageSupport } from '@codemirror/language';
import { GFM, parser } from '@lezer/markdown';

/**
 * Markdown (GitHub flavour, as the server renders it) for the editor: the Lezer Markdown parser
 * with its highlighting, without @codemirror/lang-markdown's embedded HTML, CSS and JavaScript
 * languages and completions, which would more than double the bundle.
 */
const language = new Language(defineLanguageFacet({}), parser.configure([GFM]), [], 'markdown');

export const markdown = () => new LanguageSupport(language);
