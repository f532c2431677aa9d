/** Types of eslint.config.js for the tests that read its channel list (test/architecture.test.ts). */
export declare const CHANNELS: string[];
declare const config: unknown[];
export default config;
