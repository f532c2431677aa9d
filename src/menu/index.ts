export * from './types.js';
export { createMenu, type Menu } from './nodes.js';
export { initialState, isResumable, replay, transition } from './machine.js';
export { readMenuState, readSnapshotOf } from './stored.js';
export { menuLanguages } from './languages.js';
export { endNotice, labelText, type EndNotice } from './words.js';
