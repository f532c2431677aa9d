export * from './types.js';
export {
  createMenu,
  LIST_PER_PAGE,
  MENU_PER_PAGE,
  SEARCH_QUERY_MAX,
  type Menu,
  type MenuDeps,
} from './nodes.js';
export { initialState, isResumable, nextPage, offered, replay, transition } from './machine.js';
export { readMenuState, readSnapshotOf } from './stored.js';
export { knownLanguage, languageName, menuLanguages } from './languages.js';
export { endNotice, labelText, type EndNotice } from './words.js';
