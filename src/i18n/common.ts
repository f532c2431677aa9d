import type { MessageTable } from './index.js';

export const commonMessages = {
  'app.name': { fr: 'Dialogue inter-Maliens', en: 'Inter-Malian Dialogue' },
  'error.generic': {
    fr: 'Désolé, une erreur est survenue. Réessayez plus tard.',
    en: 'Sorry, something went wrong. Please try again later.',
  },
  'error.rateLimited': {
    fr: 'Trop de demandes. Réessayez dans une minute.',
    en: 'Too many requests. Please try again in a minute.',
  },
} satisfies MessageTable;
