/**
 * The slice of `@echogarden/espeak-ng-emscripten` (untyped) the audio worker uses: eSpeak NG
 * compiled by Emscripten, its voice data in the package (`espeak-ng.data`, read from disk, never
 * downloaded). One `eSpeakNGWorker` synthesises sentence after sentence at 22,050 Hz.
 */
declare module '@echogarden/espeak-ng-emscripten' {
  interface EspeakEvent {
    type: string;
    text_position: number;
    word_length: number;
    audio_position: number;
  }
  interface ESpeakNGWorker {
    /** 0 when the voice (an identifier such as `roa/fr`) was found. */
    set_voice(identifier: string): number;
    set_rate(wordsPerMinute: number): void;
    readonly samplerate: number;
    /** Calls back with each chunk of 16-bit samples; a true return stops the synthesis. */
    synthesize(text: string, callback: (samples: Int16Array, events: EspeakEvent[]) => boolean): void;
  }
  interface ESpeakNGModule {
    eSpeakNGWorker: new () => ESpeakNGWorker;
  }
  export default function initialize(options?: {
    print?: (text: string) => void;
    printErr?: (text: string) => void;
  }): Promise<ESpeakNGModule>;
}
