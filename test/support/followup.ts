import type { FollowUpVersion } from '../../src/followup/model.js';
import { SOURCE_TITLE_MAX, NOTE_MAX } from '../../src/followup/model.js';

/**
 * The longest follow-up an editor can publish, with characters each channel must handle:
 * HTML's `<>&"` (Telegram), letters outside GSM-7 (œ, ’, ɛ: SMS and USSD transliterate),
 * a full-length source and note. Limit tests put it under every recommendation.
 */
export function longestFollowUp(recommendationId: string): FollowUpVersion {
  const source = 'Décret n°2025 <Charte> & "Observatoire" œuvre’s ɛ '.padEnd(SOURCE_TITLE_MAX, 'x');
  return {
    recommendationId,
    version: 99,
    status: 'in_progress',
    date: '2025-08-07',
    source,
    note: 'n'.repeat(NOTE_MAX),
    editor: 'Editor',
    publishedAt: '2025-08-08T10:00:00.000Z',
  };
}
