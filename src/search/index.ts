export { createSearcher, editDistance, type SearchSettings } from './searcher.js';
export { buildLexicon, EMPTY_LEXICON, LexiconError, loadLexicon, parseLexicon } from './lexicon.js';
export { QUERY_FILLERS, STOPWORDS, stem } from './text.js';
