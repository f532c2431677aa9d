export {
  createSearcher,
  DEFAULT_LIMIT,
  DEFAULT_SETTINGS,
  editDistance,
  type QueryAnalysis,
  type SearchEngine,
  type SearchSettings,
} from './searcher.js';
export {
  buildLexicon,
  EMPTY_LEXICON,
  LexiconError,
  LexiconSchema,
  loadLexicon,
  parseLexicon,
  type Lexicon,
  type LexiconFile,
} from './lexicon.js';
export { FRAME_NOUNS, FRAME_VERBS, QUERY_FILLERS, STOPWORDS, stem } from './text.js';
