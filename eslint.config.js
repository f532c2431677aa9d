import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Channel folders under adapters/ (including the ones planned): see channelIsolation below. */
export const CHANNELS = ['ussd', 'sms', 'telegram', 'simulator', 'voice', 'whatsapp', 'console', 'site'];
/** The channels citizens read: every sentence they get is decided in src/reply (issue 30). */
export const PEOPLES_CHANNELS = ['ussd', 'sms', 'telegram', 'voice', 'whatsapp'];

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'test-results/',
      'coverage/',
      'data/',
      'adapters/simulator/public/vendor/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The pure core must not know its transports.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'express',
            'grammy',
            '@grammyjs/*',
            'ioredis',
            'africastalking',
            '../adapters/*',
            '../../adapters/*',
          ],
        },
      ],
    },
  },
  ...channelIsolation(),
);

/**
 * A channel folder never imports another channel folder: a channel is a thin translator over
 * the core (src/) and the shared infrastructure (adapters/gateway, adapters/stores,
 * adapters/metrics), so adding or removing one touches no other. Future channels are listed
 * already. test/architecture.test.ts proves the rule fires.
 */
function channelIsolation() {
  return CHANNELS.map((channel) => {
    const others = CHANNELS.filter((other) => other !== channel).join('|');
    return {
      files: [`adapters/${channel}/**/*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              {
                regex: `^(\\.\\./)+(${others})(/|$)|(^|/)adapters/(${others})(/|$)`,
                message: `adapters/${channel} is a channel: it may import src/ and shared infrastructure (adapters/gateway, adapters/stores, adapters/metrics), never another channel.`,
              },
              ...(PEOPLES_CHANNELS.includes(channel) ? [wordsFromPlans(channel)] : []),
            ],
          },
        ],
      },
    };
  });
}

/**
 * A channel lays reply plans out (src/reply: sentences, lists, actions, the words of its frame);
 * it never picks a sentence from the catalogs itself, so a reply is worded once for all.
 */
function wordsFromPlans(channel) {
  return {
    regex: '(^|/)src/i18n(/index\\.js)?$',
    importNames: [
      't',
      'tp',
      'languageChoices',
      'languageKeywords',
      'formatDate',
      'dateLocaleOf',
      'messageKeys',
    ],
    message: `adapters/${channel} lays out reply plans: take its words from src/reply (plans, chrome, say), never from the catalog.`,
  };
}
